// What a manifest of one's own is checked for before it is pushed to a store: the linter's rules, and each
// descriptor against that store (is the blob or manifest there, with that size?). A registry takes a wrong layer
// size, and a layout takes missing blobs: neither can be pulled afterwards. The CLI's `manifest push` and the
// editor's Push Manifest… ask this before sending.
import type { BlobStatter, ReadOnlyTarget } from '../content';
import { isIndex, type Manifest } from '../oci';
import { lint } from './lint';
import type { Problem } from './problem';
import { lintWithStore, type BlobStore } from './store';
import { targetBlobStore } from './targetBlobStore';
import type { DecodedDocument } from './utf8';

/** Beyond this many descriptors (a large index) only the document itself is checked: one request each. */
export const MAX_DESCRIPTORS_LOOKED_UP = 256;

export async function checkManifestForPush(
  document: DecodedDocument,
  hints: { mediaType?: string; manifest?: Manifest },
  /** The destination; `{ missing }` names a layout not made yet, where every descriptor's blob is missing. */
  destination: (ReadOnlyTarget & Partial<BlobStatter>) | { missing: string } | undefined,
  signal?: AbortSignal,
): Promise<Problem[]> {
  const context = { mediaType: hints.mediaType };
  const store = blobStoreOf(destination, signal);
  if (!store || !hints.manifest || descriptorCount(hints.manifest) > MAX_DESCRIPTORS_LOOKED_UP)
    return lint(document, context);
  try {
    return await lintWithStore(document, store, context, { signal });
  } catch (err) {
    // A store that will not say (a HEAD refused): the registry still checks what it checks.
    if (signal?.aborted) throw err;
    return lint(document, context);
  }
}

function blobStoreOf(
  destination: (ReadOnlyTarget & Partial<BlobStatter>) | { missing: string } | undefined,
  signal: AbortSignal | undefined,
): BlobStore | undefined {
  if (!destination) return undefined;
  if ('missing' in destination) return { where: destination.missing, blobSize: async () => undefined };
  if (!destination.statBlob) return undefined;
  return targetBlobStore(destination as ReadOnlyTarget & BlobStatter, { signal });
}

function descriptorCount(manifest: Manifest): number {
  const subject = manifest.subject ? 1 : 0;
  if (isIndex(manifest)) return (Array.isArray(manifest.manifests) ? manifest.manifests.length : 0) + subject;
  return 1 + (Array.isArray(manifest.layers) ? manifest.layers.length : 0) + subject;
}
