// ORAS's `--platform os[/arch][/variant][:os_version]`: picks one manifest of an index. For a single manifest
// the platform is not checked (its config is not read): it is what the reference names.
import type { Target } from '../core/content';
import {
  isDigest,
  isIndex,
  isIndexType,
  platformMatches,
  platformText,
  type Descriptor,
  type ImageIndex,
  type Platform,
  wellShaped,
} from '../core/oci';
import { UsageError, type OptionSpec } from './args';

export const PLATFORM_OPTION: OptionSpec = {
  name: 'platform',
  type: 'string',
  valueName: 'os[/arch][/variant][:os_version]',
  description: 'pick this platform’s manifest when the reference names an index',
};

export function parsePlatform(text: string): Partial<Platform> & { os: string } {
  const colon = text.indexOf(':');
  const osVersion = colon < 0 ? undefined : text.slice(colon + 1);
  const [os, architecture, variant, ...rest] = (colon < 0 ? text : text.slice(0, colon)).split('/');
  if (!os || rest.length || [architecture, variant].some((p) => p === ''))
    throw new UsageError(`--platform "${text}" is not os[/arch][/variant][:os_version] (e.g. linux/amd64)`);
  return {
    os,
    ...(architecture ? { architecture } : {}),
    ...(variant ? { variant } : {}),
    ...(osVersion ? { 'os.version': osVersion } : {}),
  };
}

/** The descriptor `tagOrDigest` names, narrowed to the platform's manifest when given and the reference is an index. */
export async function resolvePlatform(
  target: Target,
  tagOrDigest: string,
  platform: string | undefined,
  signal: AbortSignal,
): Promise<Descriptor> {
  if (!platform) return target.resolve(tagOrDigest, { signal });
  const wanted = parsePlatform(platform);
  const fetched = await target.fetchManifest(tagOrDigest, { signal });
  if (!isIndex(fetched.manifest)) return fetched.descriptor;
  const index = checkedIndex(target, fetched.descriptor, fetched.manifest);
  const match = index.manifests.find((m) => platformMatches(m.platform, wanted));
  if (!match)
    throw new UsageError(
      `${named(target, tagOrDigest)} has no manifest for platform ${platform} (it has: ${platformsOf(index)})`,
    );
  return match;
}

/**
 * For commands that need one manifest (pull): the manifest `tagOrDigest` names, or with `--platform` the one of
 * its index; an index without `--platform` is a usage error that lists the platforms to choose from.
 */
export async function resolveOneManifest(
  target: Target,
  tagOrDigest: string,
  platform: string | undefined,
  signal: AbortSignal,
): Promise<Descriptor> {
  if (platform) return resolvePlatform(target, tagOrDigest, platform, signal);
  // The resolve's media type tells a manifest from an index; the index is read only to list its platforms (or
  // when a registry gave no media type).
  const resolved = await target.resolve(tagOrDigest, { signal });
  if (resolved.mediaType && !isIndexType(resolved.mediaType)) return resolved;
  const fetched = await target.fetchManifest(resolved, { signal });
  if (!isIndex(fetched.manifest)) return fetched.descriptor;
  const index = checkedIndex(target, fetched.descriptor, fetched.manifest);
  throw new UsageError(
    `${named(target, tagOrDigest)} is an index of ${index.manifests.length} manifests: choose one with --platform os/arch (it has: ${platformsOf(index)})`,
  );
}

/** The index, refused when an entry is no descriptor or its platform no object of strings (read below as such). */
function checkedIndex(target: Target, descriptor: Descriptor, index: ImageIndex): ImageIndex {
  return wellShaped(`${target.location}: the index ${descriptor.digest}`, index);
}

function named(target: Target, tagOrDigest: string): string {
  return `${target.location}${isDigest(tagOrDigest) ? '@' : ':'}${tagOrDigest}`;
}

function platformsOf(index: ImageIndex): string {
  const offered = index.manifests.map((m) => platformText(m.platform)).filter(Boolean);
  return offered.join(', ') || 'no platforms';
}
