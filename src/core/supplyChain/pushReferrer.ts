// Pushes a referrer built in memory (a few small blobs and its manifest) and records it under its subject,
// so signatures and SBOMs are attached the same way to a registry and a layout.
import { Readable } from 'node:stream';
import type { Descriptor, Manifest } from '../oci';
import { indexReferrer } from '../graph';
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
  for (const blob of blobs) {
    if (await target.exists(blob.descriptor, signal)) continue;
    await target.pushBlob(blob.descriptor, async (offset) => Readable.from([blob.bytes.subarray(offset)]), { signal });
  }
  const pushed = await target.pushManifest(built.descriptor, built.bytes, { signal });
  await indexReferrer(target, built.descriptor, built.manifest, pushed.subjectIndexed, signal);
  return built.descriptor;
}
