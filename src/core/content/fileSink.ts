// A writable stream into an open file, through writeAllAt: what fs.createWriteStream does, except that chunks
// buffered while a write runs go to the kernel in groups of at most 256 KiB (writeSegments.ts says why), where
// createWriteStream's writev handed it up to its whole buffer at once (960 KiB writes fetching a 1 GiB blob).
import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { writeAllAt } from './writeAllAt';

/** Writes from the file's start, in order; fsyncs the file when the stream ends. The caller closes `handle`. */
export function fileSink(handle: FileHandle, highWaterMark: number): Writable {
  let position = 0;
  return new Writable({
    highWaterMark,
    // Called for one chunk too (no `write` given): one code path, one write at a time, in order.
    writev(entries, callback) {
      const chunks = entries.map((entry) => entry.chunk as Buffer);
      const at = position;
      for (const chunk of chunks) position += chunk.length;
      writeAllAt(handle, chunks, at).then(() => callback(), callback);
    },
    final(callback) {
      handle.sync().then(() => callback(), callback);
    },
  });
}
