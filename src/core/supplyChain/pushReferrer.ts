// Pushes a referrer built in memory (a few small blobs and its manifest) and records it under its subject,
// so signatures and SBOMs are attached the same way to a registry and a layout.
import { Readable } from 'node:stream';
import { type Descriptor, type Manifest, NotFoundError } from '../oci';
import { copy } from '../graph';
import type { Target } from '../content';

export interface InMemoryBlob {
  descriptor: Descriptor;
  bytes: Buffer;
}

export interface InMemoryManifest {
  descriptor: Descriptor;
  bytes: Buffer;
  manifest: Manifest;
}

export async function pushReferrer(
  target: Target,
  built: InMemoryManifest,
  blobs: readonly InMemoryBlob[],
  signal?: AbortSignal,
): Promise<Descriptor> {
  // The graph walk does the pushing (blobs the store lacks, then the manifest, then the subject's referrers
  // index), so an attached referrer is stored exactly as a copied one.
  const byDigest = new Map(blobs.map((blob) => [blob.descriptor.digest, blob.bytes]));
  const source = {
    location: 'the referrer being attached',
    fetchManifest: async () => built,
    fetchBlob: async (descriptor: Descriptor) => {
      const bytes = byDigest.get(descriptor.digest);
      if (!bytes) throw new NotFoundError(`blob ${descriptor.digest} of the referrer being attached`);
      return Readable.from([bytes]);
    },
  };
  await copy(source, built.descriptor, target, { signal });
  return built.descriptor;
}
