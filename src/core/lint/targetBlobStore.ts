// The BlobStore of any store that tells a blob's size by its digest (a registry repository, a layout, an archive):
// what a manifest about to be pushed there is checked against. Sizes only: hashing would read every layer.
import type { BlobStatter, ReadOnlyTarget } from '../content';
import { NotFoundError } from '../oci';
import type { BlobStore } from './store';

export function targetBlobStore(
  target: ReadOnlyTarget & BlobStatter,
  options: { signal?: AbortSignal } = {},
): BlobStore {
  const { signal } = options;
  const blobSize = async (digest: string) => (await target.statBlob(digest, { signal }))?.size;
  return {
    where: target.location,
    blobSize,
    // Registries keep manifests apart from blobs: a manifest is found by resolving its digest.
    async manifestSize(digest) {
      const size = await blobSize(digest);
      if (size !== undefined) return size;
      try {
        return (await target.resolve(digest, { signal })).size;
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
    },
  };
}
