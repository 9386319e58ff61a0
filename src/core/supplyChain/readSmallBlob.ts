// Reads a small blob (a signature envelope, an SBOM) into memory, refusing anything larger than the cap.
import { type Descriptor, SizeExceededError } from '../oci';
import type { ReadOnlyTarget } from '../content';

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export async function readSmallBlob(
  target: ReadOnlyTarget,
  descriptor: Descriptor,
  signal?: AbortSignal,
  cap = MAX_DOCUMENT_BYTES,
): Promise<Buffer> {
  if (descriptor.size > cap) throw new SizeExceededError(`${descriptor.digest} (${descriptor.size} bytes)`, cap);
  const stream = await target.fetchBlob(descriptor, { signal });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
