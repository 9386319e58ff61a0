// A byte range of a local file (a blob inside a layout archive) as chunks: each chunk is a fresh buffer the
// consumer may keep (a stream stage may hold a few), and the next one is read while the consumer works on the
// current one.
import { promises as fs } from 'node:fs';
import { OciError, throwIfAborted } from '../oci';
import { readAllAt } from '../content';

const CHUNK = 1024 * 1024;

/** `size` bytes from `offset` of the file `open` opens; fails (naming `what`) when the file ends first. */
export async function* fileRangeChunks(
  open: () => Promise<fs.FileHandle>,
  offset: number,
  size: number,
  what: string,
  options: { signal?: AbortSignal; onBytes?: (delta: number) => void } = {},
): AsyncGenerator<Buffer> {
  const handle = await open();
  const readAt = async (at: number): Promise<Buffer> => {
    const chunk = Buffer.allocUnsafeSlow(Math.min(CHUNK, size - at));
    await readAllAt(
      handle,
      chunk,
      offset + at,
      (got) => new OciError('LAYOUT', `${what}: the file ended after ${at + got} of ${size} bytes`),
    );
    return chunk;
  };
  let next: Promise<Buffer> | undefined;
  try {
    for (let at = 0; at < size;) {
      const chunk = await (next ?? readAt(at));
      at += chunk.length;
      next = at < size ? readAt(at) : undefined;
      // Read ahead while the consumer works; a failure is thrown when it asks for that chunk.
      next?.catch(() => undefined);
      throwIfAborted(options.signal);
      options.onBytes?.(chunk.length);
      yield chunk;
    }
  } finally {
    await next?.catch(() => undefined);
    await handle.close();
  }
}
