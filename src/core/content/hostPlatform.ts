// The platform of images this machine runs (Node's CPU name in OCI's words): kept out of core/oci, which the
// webview bundles without Node.
import type { Platform } from '../oci';

/** Node's names for CPU architectures that differ from the OCI (Go) names. */
const OCI_ARCHITECTURES: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };

/**
 * The platform of images this machine runs, as skopeo picks one from an index: Linux (what container images are
 * built for, on macOS and Windows too through a VM) and this CPU's architecture.
 */
export function hostPlatform(): Partial<Platform> & { os: string } {
  return { os: 'linux', architecture: OCI_ARCHITECTURES[process.arch] ?? process.arch };
}
