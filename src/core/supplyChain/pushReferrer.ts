// Pushes a referrer built in memory (a few small blobs and its manifest) and records it under its subject,
// so signatures and SBOMs are attached the same way to a registry and a layout.
import type { Descriptor, Manifest } from '../oci';
import { copy, StagedGraph } from '../graph';
import { bytesContent, type Target } from '../content';

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
  const source = new StagedGraph(
    'the referrer being attached',
    built,
    blobs.map((blob) => ({ descriptor: blob.descriptor, content: bytesContent(blob.bytes) })),
  );
  await copy(source, built.descriptor, target, { signal });
  return built.descriptor;
}
