// Reading a local file through two reused buffers. Fresh 1 MiB buffers per read (what fs read streams do) cost as
// much CPU in page faults and garbage collection as hashing the bytes, and let tens of MiB of dead buffers pile
// up before V8 collects them; two buffers keep a 1 GiB transfer at a flat, small footprint.
import { promises as fs } from 'node:fs';
import { OciError, throwIfAborted } from '../oci';
import type { Hasher } from './hashing';
import { openNoFollow, type FileIdentity } from './noSymlinks';

export const FILE_CHUNK = 1024 * 1024;

/**
 * The file's bytes from `start`, as chunks that share two buffers: a chunk stays valid until the consumer asks
 * for the one after next. Safe for consumers that are done with a chunk before asking for the next but one:
 * a loop awaiting each write, or undici sending a request body (it waits for the socket to drain a chunk larger
 * than its buffer before asking for more). The registry's digest check backs that up for uploads.
 */
export async function* fileChunks(
  file: string,
  options: {
    start?: number;
    size?: number;
    /**
     * Read exactly this many bytes from `start` (a range inside a larger file), failing when the file ends first;
     * else up to the file's end.
     */
    length?: number;
    /** What errors call the range ("oci-archive:/x.tar: blob sha256:…"; else the file). */
    what?: string;
    signal?: AbortSignal;
    /** The file was checked (lstat) as this one: open it without following a link, and only if it still is. */
    checked?: FileIdentity;
  } = {},
): AsyncGenerator<Buffer> {
  const handle = options.checked ? (await openNoFollow(file, file, options.checked)).handle : await fs.open(file, 'r');
  try {
    let position = options.start ?? 0;
    const end = options.length === undefined ? Infinity : position + options.length;
    const length = Math.max(1, Math.min(FILE_CHUNK, options.length ?? (options.size ?? FILE_CHUNK) - position));
    const buffers = [Buffer.allocUnsafeSlow(length), Buffer.allocUnsafeSlow(length)];
    for (let turn = 0; position < end; turn ^= 1) {
      throwIfAborted(options.signal);
      const buffer = buffers[turn]!;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(length, end - position), position);
      if (bytesRead === 0) {
        // A range cut short is the file's fault (an archive truncated or rewritten), not the receiver's.
        if (options.length !== undefined)
          throw new OciError(
            'LAYOUT',
            `${options.what ?? file}: the file ended after ${position - (options.start ?? 0)} of ${options.length} bytes (cut short or rewritten since it was read)`,
          );
        return;
      }
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Passes chunks through `hasher` (which throws on too many bytes) and checks the whole at the end. With an
 * expected size the digest is taken before the last chunk leaves: a consumer that stops at that size (undici
 * sending a body with content-length) never asks for the end, and the digest must not depend on it asking.
 */
export async function* hashingChunks(
  chunks: AsyncIterable<Buffer>,
  hasher: Pick<Hasher, 'update' | 'finish' | 'bytes' | 'digest' | 'options'>,
): AsyncGenerator<Buffer> {
  const { expectedSize } = hasher.options;
  for await (const chunk of chunks) {
    hasher.update(chunk);
    if (hasher.digest === undefined && hasher.bytes === expectedSize) hasher.finish();
    yield chunk;
  }
  if (hasher.digest === undefined) hasher.finish();
}
