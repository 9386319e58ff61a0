// Copying a large byte range through a ring of reused buffers while hashing it: chunk i+1 is being read and chunk
// i-1 written (both on libuv's threads) while this thread hashes chunk i, so on two cores a verified copy costs
// about what hashing alone does. Reused buffers matter as much: a fresh 1 MiB buffer per chunk (what fs streams
// hand out) cost more CPU in page faults and garbage collection than the hashing. One write at a time: several
// positioned writes into the same file at once contend for its lock in the kernel (1 GiB read from an archive into
// a layout, alternating runs on a loaded machine: CPU 1.74–1.85 s against 2.29–2.88 s, half of it system time;
// writing an archive measured the same either way).
import { throwIfAborted } from '../oci';
import type { Hasher } from './hashing';

/** One read and one write per chunk. */
export const COPY_CHUNK = 1024 * 1024;
/** Chunks in flight at once (read ahead, being hashed, being written): 4 MiB of buffers at most. */
const RING = 4;

/**
 * Copies `size` bytes: `read` fills a buffer with the bytes at `at` (throwing when the source ends first), `write`
 * takes each chunk in order and resolves once it is written (the chunk's buffer is refilled only after that).
 * `hasher` sees every chunk before it is handed to `write`.
 */
export async function copyPipelined(
  size: number,
  read: (buffer: Buffer, at: number) => Promise<void>,
  write: (chunk: Buffer) => Promise<void>,
  hasher: Hasher | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const chunks = Math.ceil(size / COPY_CHUNK);
  const buffers = Array.from({ length: Math.min(RING, chunks) }, () =>
    Buffer.allocUnsafeSlow(Math.min(COPY_CHUNK, size)),
  );
  const ring = buffers.length;
  const writes: (Promise<void> | undefined)[] = new Array(ring).fill(undefined);
  const chunkAt = (i: number) => buffers[i % ring]!.subarray(0, Math.min(COPY_CHUNK, size - i * COPY_CHUNK));
  const readChunk = async (i: number) => {
    await writes[i % ring];
    await read(chunkAt(i), i * COPY_CHUNK);
  };
  let next: Promise<void> | undefined = chunks ? readChunk(0) : undefined;
  let lastWrite: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; i < chunks; i++) {
      await next;
      throwIfAborted(signal);
      next = i + 1 < chunks ? readChunk(i + 1) : undefined;
      const chunk = chunkAt(i);
      hasher?.update(chunk);
      // After the one before, in order; a failed one fails those after it without writing them. Its failure is
      // thrown where the ring next waits for it, not reported as unhandled before that.
      lastWrite = writes[i % ring] = lastWrite.then(() => write(chunk));
      lastWrite.catch(() => undefined);
    }
  } finally {
    // Nothing may still be reading into or writing from these buffers when the caller moves on or gives up.
    await Promise.allSettled([next, ...writes]);
  }
  for (const written of writes) await written;
}
