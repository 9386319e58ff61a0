// Dead chunk buffers of a large transfer, collected while it runs. Every socket read brings a fresh 64 KiB buffer;
// once written they are garbage, but V8 only collects when its heap asks, and buffers live outside the heap: tens
// of MiB of them piled up before a collection (1 GiB copy of 4 layers: 121–127 MiB peak RSS). The hashing thread,
// where they end, collects its young generation every few MiB: they are freed while they are few, ~1 ms each.
// A buffer that waited in a file's write queue across two such collections has been moved to the old generation,
// which a young collection does not visit: with two or more files written at once (a copy of 4 layers) that was
// most of them, 64–70 MiB of dead buffers and 145–155 MiB peak RSS. Once written, each buffer's memory is handed to
// a fresh, unreferenced ArrayBuffer (detaching the old one), which the next young collection frees: 98–100 MiB.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' }) => void;

/** Bytes between two collections. */
const COLLECT_EVERY = 8 * 1024 * 1024;

let collect: Collect | null | undefined;
let sinceLast = 0;

/** Counts `bytes` handed on by a transfer; collects the young generation whenever COLLECT_EVERY have passed. */
export function collectEvery(bytes: number): void {
  sinceLast += bytes;
  if (sinceLast < COLLECT_EVERY) return;
  sinceLast = 0;
  collector()?.({ type: 'minor' });
}

/** V8's gc function, exposed once in a context of its own (the process's globals stay as they were); null where refused. */
function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  } catch {
    collect = null;
  } finally {
    // Flags are the process's: contexts made later (another extension's, in a shared host) get no gc of ours.
    setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

/** Hands the memory of buffers that are written and done with to new objects that die young (see above). */
export function releaseWritten(views: readonly Uint8Array[]): void {
  for (const { buffer } of views)
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
}
