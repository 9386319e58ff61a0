// Writes a blob's bytes into a file (or at a position of one) while hashing them. Large files are hashed and
// written by the shared hashing thread (hashingThread.ts), all at once: during a download the main thread is busy reading the socket, and hashing (~0.6 s per
// GiB) plus handing out writes on that same thread made it the bottleneck of a pull (1 GiB: ~2.5 s inline).
// Chunks go to the thread without a copy when they own their memory (a socket read's buffer) and come back after
// use, so neither thread collects a pile of dead buffers.
import { existsSync, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import type { Hasher } from './hashing';
import { throwIfAborted } from '../oci';
import { pathlessAbout, tempPathIn } from './atomicFile';
import { sourceVerifies } from './hashingStages';
import { HashingThread, type HashingChannel, WORKER_FILE } from './hashingThread';
import { destroyOnAbort } from './abortStream';
import { BackgroundFlush } from './backgroundFlush';
import { writeAllAt } from './writeAllAt';

/**
 * Below this, handing bytes to another thread costs more than it saves: the thread takes ~50 ms to come up, and
 * hashing elsewhere saves the main thread ~0.35 ms per MiB, so the break-even is near 140 MiB.
 */
export const HASH_IN_WORKER_FROM = 128 * 1024 * 1024;
/**
 * Chunks go over in batches of about this much: one message (and one writev) per batch rather than per chunk; also
 * the size of the writes on this thread.
 */
const BATCH = 1024 * 1024;
/**
 * Bytes between two background flushes of a file that is to be synced (see BackgroundFlush). Alternating 1 GiB
 * copies into a layout (medians of 6–8): 4 layers 1.45 s at 8 MiB, 1.49–1.52 s at 32, 1.59 s at 64; 1 layer 1.36 s
 * at 8 MiB, 1.41 s at 32.
 */
export const FLUSH_EVERY = 8 * 1024 * 1024;

let workerWrites = 0;

export interface HashingWriteOptions {
  signal?: AbortSignal;
  /** Size from which the hashing thread hashes and writes (default HASH_IN_WORKER_FROM). */
  workerFrom?: number;
  /**
   * Flush what is written to disk in the background as the write goes (the caller syncs the file at the end, which
   * then waits for the last few MiB only). Large files on the hashing thread.
   */
  syncWhileWriting?: boolean;
  /**
   * The source reuses a chunk's memory once the next but one is asked for (fileChunks): chunks are then copied
   * before they are kept or handed over. Otherwise each chunk must own its memory (a socket read's buffer).
   */
  reusedChunks?: boolean;
}

export interface HashingFileWriteOptions extends HashingWriteOptions {
  /** Permissions of the new file (default 0o644). */
  mode?: number;
  /** Flush the file's data to disk before returning (once, at the end): for files renamed into a store. */
  sync?: boolean;
  /**
   * What a failed write (a full disk) names, where the file written is a temp or staged one whose name means nothing
   * to the user: the file or folder it becomes. Default: the file.
   */
  about?: string;
}

/**
 * Writes `chunks` into `file`, which must not exist yet, through `hasher`: fails, leaving no file, when the size or
 * digest differ from what `hasher` expects. The chunks are consumed: their memory may be handed to another thread.
 * A stream that already verifies the same digest and size (a blob from Target.fetchBlob) is counted, not hashed.
 */
export async function writeFileHashing(
  chunks: AsyncIterable<Buffer>,
  file: string,
  hasher: Hasher,
  options: HashingFileWriteOptions = {},
): Promise<void> {
  const handle = await fs.open(file, 'wx', options.mode ?? 0o644);
  let written = false;
  try {
    await writeHashingAt(chunks, handle, 0, hasher, { ...options, syncWhileWriting: options.sync });
    if (options.sync) await handle.datasync();
    written = true;
  } catch (err) {
    // A write's error names no file: "no space left on the device" said nothing of where.
    throw pathlessAbout(err, options.about ?? file);
  } finally {
    await handle.close();
    if (!written) await fs.rm(file, { force: true });
  }
}

/**
 * writeFileHashing into a fresh temp file in `dir`, synced (it is to be renamed into a store): returns its path.
 * On failure nothing is left behind.
 */
export async function writeTempFileHashing(
  chunks: AsyncIterable<Buffer>,
  dir: string,
  hasher: Hasher,
  options: Omit<HashingFileWriteOptions, 'sync'> = {},
): Promise<string> {
  const temp = tempPathIn(dir);
  await writeFileHashing(chunks, temp, hasher, { ...options, sync: true });
  return temp;
}

/**
 * Writes `chunks` into the open `handle` from `position` on (an entry inside a larger file, such as a tar's),
 * through `hasher`; throws when the size or digest differ, after which nothing more is written. The caller owns
 * the handle and what was written before the failure.
 */
export async function writeHashingAt(
  chunks: AsyncIterable<Buffer>,
  handle: FileHandle,
  position: number,
  hasher: Hasher,
  options: HashingWriteOptions = {},
): Promise<void> {
  const size = hasher.options.expectedSize;
  const verified = sourceVerifies(chunks, hasher);
  // A stream that stalls must not hold the write past an abort.
  if (chunks instanceof Readable) destroyOnAbort(chunks, options.signal);
  if (
    verified ||
    size === undefined ||
    size < (options.workerFrom ?? HASH_IN_WORKER_FROM) ||
    !existsSync(WORKER_FILE)
  ) {
    // A stream that already checks these bytes (a verified download) is only counted, on this thread.
    await writeOnThisThread(chunks, handle, position, hasher, verified, options);
    return;
  }
  const channel = HashingThread.open(handle.fd, position, hasher.algorithm, options.signal);
  const flush = options.syncWhileWriting ? new BackgroundFlush(handle, FLUSH_EVERY) : undefined;
  let ended = false;
  try {
    hasher.finishWith(await feedThread(channel, chunks, hasher, options.reusedChunks ?? false, flush));
    await flush?.settled();
    ended = true;
    workerWrites++;
  } finally {
    // Nothing may be written to the descriptor once the caller closes it (a reused number would get the bytes).
    if (!ended) await Promise.all([channel.close(), flush?.settled().catch(() => undefined)]);
    HashingThread.release(channel);
  }
}

/** True while the hashing thread is writing a file (tests check that large writes use it). */
export function hashingWorkerInUse(): boolean {
  return HashingThread.openFiles() > 0;
}

/** How many files the hashing thread has written whole in this process (shows the bundles find its file). */
export function hashingWorkerWrites(): number {
  return workerWrites;
}

async function writeOnThisThread(
  chunks: AsyncIterable<Buffer>,
  handle: FileHandle,
  position: number,
  hasher: Hasher,
  verified: boolean,
  { signal, reusedChunks }: HashingWriteOptions,
): Promise<void> {
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    await writeAllAt(handle, batch, position);
    position += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for await (const chunk of chunks) {
    throwIfAborted(signal);
    if (verified) hasher.count(chunk.length);
    else hasher.update(chunk);
    if (chunk.length >= BATCH) {
      await flush();
      await writeAllAt(handle, [chunk], position);
      position += chunk.length;
      continue;
    }
    batch.push(reusedChunks ? Buffer.from(chunk) : chunk);
    batchBytes += chunk.length;
    if (batchBytes >= BATCH) await flush();
  }
  await flush();
  throwIfAborted(signal);
  if (verified) hasher.finishWith(hasher.options.expected!.slice(hasher.algorithm.length + 1));
  else hasher.finish();
}

/** Hands `chunks` to the thread in batches within the shared budget; resolves with its hex digest. */
async function feedThread(
  channel: HashingChannel,
  chunks: AsyncIterable<Buffer>,
  hasher: Hasher,
  reusedChunks: boolean,
  flush: BackgroundFlush | undefined,
): Promise<string> {
  let batch: ArrayBuffer[] = [];
  let batchBytes = 0;
  for await (const chunk of chunks) {
    channel.throwIfFailed();
    hasher.count(chunk.length);
    batchBytes += chunk.length;
    batch.push(reusedChunks ? copyOf(chunk) : ownMemory(chunk));
    if (batchBytes < BATCH) continue;
    channel.send(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    flush?.after(channel.written);
    await channel.waitForRoom();
  }
  if (batch.length) channel.send(batch, batchBytes);
  return channel.end();
}

/**
 * The chunk's memory to give away: its own buffer when the chunk spans all of it (what a socket read yields), else
 * a copy (a slice of a shared pool or of a larger read must not be detached under its other users).
 */
function ownMemory(chunk: Buffer): ArrayBuffer {
  const { buffer } = chunk;
  if (buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength) return buffer;
  return copyOf(chunk);
}

function copyOf(chunk: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(chunk.length);
  new Uint8Array(copy).set(chunk);
  return copy;
}
