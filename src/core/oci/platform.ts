// Platforms of an index's entries: how one is written ("linux/arm64/v8") and whether an entry is the one asked for.
import type { Platform } from './descriptor';

/** "linux/arm64/v8": os, architecture and variant as docker, skopeo and ORAS write them; undefined without both. */
export function platformText(platform: Partial<Platform> | undefined): string | undefined {
  if (!platform?.os || !platform.architecture) return undefined;
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Whether `entry` has every field `wanted` names, with the same value (fields `wanted` leaves out match any). */
export function platformMatches(entry: Platform | undefined, wanted: Partial<Platform>): boolean {
  return Object.entries(wanted).every(([key, value]) => entry?.[key as keyof Platform] === value);
}

/** Node's names for CPU architectures that differ from the OCI (Go) names. */
const OCI_ARCHITECTURES: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };

/**
 * The platform of images this machine runs, as skopeo picks one from an index: Linux (what container images are
 * built for, on macOS and Windows too through a VM) and this CPU's architecture.
 */
export function hostPlatform(): Partial<Platform> & { os: string } {
  return { os: 'linux', architecture: OCI_ARCHITECTURES[process.arch] ?? process.arch };
}
