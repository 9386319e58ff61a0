// Reads a small blob (a config, a signature envelope, an SBOM, an in-toto statement) into memory, refusing anything
// larger than the cap, within a deadline: a registry's blob read is a transfer, guarded only by a minimum rate
// (1 KiB/s), at which a 4 MiB statement trickled in takes over an hour; a document has no such excuse.
import { type Descriptor, OciError, SizeExceededError } from '../oci';
import { linkedDeadline } from './linkedAbort';
import type { ReadOnlyTarget } from './target';

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** The whole read of one document, headers and bytes (the registry's default request deadline). */
export const SMALL_BLOB_DEADLINE_MS = 120_000;

export async function readSmallBlob(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  descriptor: Descriptor,
  signal?: AbortSignal,
  cap = MAX_DOCUMENT_BYTES,
  deadlineMs = SMALL_BLOB_DEADLINE_MS,
): Promise<Buffer> {
  const what = `${descriptor.digest} (${descriptor.size} bytes)`;
  if (descriptor.size > cap) throw new SizeExceededError(what, cap);
  const late = new OciError(
    'NETWORK',
    `blob ${what} was not read within ${deadlineMs / 1000} s (a document this small should take seconds)`,
  );
  const deadline = linkedDeadline(signal, deadlineMs, () => late);
  try {
    const stream = await target.fetchBlob(descriptor, { signal: deadline.signal });
    // A store that does not watch the signal while its body streams is stopped here.
    const stop = () => {
      const reason: unknown = deadline.signal.reason;
      stream.destroy(reason instanceof Error ? reason : late);
    };
    deadline.signal.addEventListener('abort', stop, { once: true });
    try {
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
    } finally {
      deadline.signal.removeEventListener('abort', stop);
    }
  } catch (err) {
    // The deadline's own error, whatever the store made of the abort; the caller's cancel stays its own.
    if (deadline.signal.aborted && deadline.signal.reason === late && !signal?.aborted) throw late;
    throw err;
  } finally {
    deadline.unlink();
  }
}
