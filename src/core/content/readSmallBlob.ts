// Reads a small blob (a config, a signature envelope, an SBOM) into memory, refusing anything larger than the cap.
import { type Descriptor, SizeExceededError } from '../oci';
import type { ReadOnlyTarget } from './target';

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export async function readSmallBlob(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  descriptor: Descriptor,
  signal?: AbortSignal,
  cap = MAX_DOCUMENT_BYTES,
): Promise<Buffer> {
  const what = `${descriptor.digest} (${descriptor.size} bytes)`;
  if (descriptor.size > cap) throw new SizeExceededError(what, cap);
  const stream = await target.fetchBlob(descriptor, { signal });
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += (chunk as Buffer).length;
    // The store verifies the size; this only guards one that does not.
    if (length > cap) {
      stream.destroy();
      throw new SizeExceededError(what, cap);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
