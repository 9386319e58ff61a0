// Dropping a manifest blob nothing names any more, as soon as it is superseded (a subject's referrers index is
// rewritten on every attach: each old one stayed in blobs/ until garbage collection, growing with the square of the
// referrers). Kept whenever anything may still want it: an index.json entry naming it, referrers recorded for it
// (its own fallback tag), or an index reachable from index.json listing it. Finding such an index is a walk; a
// bounded one, past which the blob stays for garbage collection (which walks everything) to decide.
import { promises as fs } from 'node:fs';
import {
  algorithmOf,
  encodedOf,
  isIndex,
  MAX_MANIFEST_BYTES,
  MediaType,
  type Descriptor,
  type ImageIndex,
} from '../oci';
import { parseManifestBytes, readLayoutFile } from '../content';
import type { CollectableLayout } from './garbageCollect';
import { tagOfEntry } from './indexFile';

/** Indexes read looking for one that lists the blob; past this many it stays for garbage collection. */
export const MAX_INDEXES_READ = 256;

const REFERRERS_TAG = /^[a-z0-9]+-[a-zA-Z0-9=_-]+$/;

/**
 * Whether `digest` may be removed from `layout` whose index.json is `index` (read under its lock): nothing names
 * or lists it. Referrers indexes (fallback tags) are not walked: they list referrers, never an index like this one.
 */
export async function nothingNames(layout: CollectableLayout, index: ImageIndex, digest: string): Promise<boolean> {
  const ownReferrersTag = `${algorithmOf(digest)}-${encodedOf(digest)}`;
  if (index.manifests.some((entry) => entry.digest === digest || tagOfEntry(entry) === ownReferrersTag)) return false;
  const pending: Descriptor[] = index.manifests.filter(
    (entry) => isIndexType(entry) && !REFERRERS_TAG.test(tagOfEntry(entry) ?? ''),
  );
  const seen = new Set<string>();
  while (pending.length) {
    const entry = pending.pop()!;
    if (seen.has(entry.digest)) continue;
    if (seen.size >= MAX_INDEXES_READ) return false;
    seen.add(entry.digest);
    if (entry.size > MAX_MANIFEST_BYTES) return false;
    const what = `${layout.location}: index ${entry.digest}`;
    const bytes = await readLayoutFile(layout.root, layout.blobPath(entry.digest), MAX_MANIFEST_BYTES, what).catch(
      () => undefined,
    );
    if (!bytes) continue;
    let listed: ImageIndex;
    try {
      const parsed = parseManifestBytes(bytes, what);
      if (!isIndex(parsed)) continue;
      listed = parsed;
    } catch {
      return false; // unreadable: it may list anything
    }
    for (const child of listed.manifests ?? []) {
      if (child.digest === digest) return false;
      if (isIndexType(child)) pending.push(child);
    }
  }
  return true;
}

function isIndexType(descriptor: Descriptor): boolean {
  return descriptor.mediaType === MediaType.ociIndex || descriptor.mediaType === MediaType.dockerManifestList;
}

/** Removes the blob file of `digest` (no error when it is gone already). */
export async function removeBlob(layout: CollectableLayout, digest: string): Promise<void> {
  await fs.rm(await layout.own(layout.blobPath(digest)), { force: true });
}
