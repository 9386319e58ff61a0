// A manifest or index of one's own (written by hand, fetched and edited), pushed as its exact bytes: tagged, and,
// when it has a subject, listed in the fallback tag where the store did not index it — as attach and copy list
// theirs. `manifest push` and the editor's Push Manifest… both come here.
import { digestOf, type Target } from '../content';
import type { Descriptor, Manifest } from '../oci';
import { indexReferrer } from './fallbackIndex';

export interface PushManifestBytesOptions {
  tags?: readonly string[];
  /** List a referrer in the fallback tag even where the registry indexed it (v1.1-referrers-tag). */
  alwaysFallbackTag?: boolean;
  signal?: AbortSignal;
}

/** The descriptor of `bytes` as pushed with `mediaType` (and its artifactType, which index entries carry). */
export function manifestDescriptor(bytes: Buffer, manifest: Manifest, mediaType: string): Descriptor {
  const descriptor: Descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  if (manifest.artifactType) descriptor.artifactType = manifest.artifactType;
  return descriptor;
}

/** `manifest` and `descriptor` are those of `bytes` (parseManifestBytes, manifestDescriptor), as the caller checked them. */
export async function pushManifestBytes(
  target: Target,
  bytes: Buffer,
  manifest: Manifest,
  descriptor: Descriptor,
  options: PushManifestBytesOptions = {},
): Promise<void> {
  const { signal } = options;
  const [first, ...more] = options.tags ?? [];
  const pushed = await target.pushManifest(descriptor, bytes, { tag: first, signal });
  await indexReferrer(target, descriptor, manifest, pushed.subjectIndexed && !options.alwaysFallbackTag, signal);
  for (const tag of more) await target.tag(descriptor, tag, { signal });
}
