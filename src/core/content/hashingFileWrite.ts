// Writes a blob's bytes into a new file while hashing them. Large files are hashed by the process's hashing
// thread (hashingThread.ts): during a download the main thread reads the socket, and SHA-256 (~0.6 s per GiB)
// on that same thread made it the bottleneck of a pull. The bytes are copied into the file's ring of shared
// memory for the thread (a copy costs ~0.1 s per GiB; handing buffers over and back by message cost ~0.3 s) and
// written from the chunks themselves by Node's I/O threads, a batch per write: hashing, socket reads and disk
// writes all run at once. Writes queued but not done are bounded by one budget shared by all files at once.
import { createWriteStream, existsSync, open, promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Hasher } from './hashing';
import { throwIfAborted } from '../oci';
import { hashingStages, sourceVerifies } from './hashingStages';
import { tempPathIn } from './atomicFile';
import { HASHING_THREAD_FILE, openHashingRing, type HashingRing } from './hashingThread';

export { hashingThreadInUse as hashingWorkerInUse, hashingThreadStarts } from './hashingThread';

/**
 * Below this, starting the thread costs more than it saves: it takes ~50 ms to come up, and hashing elsewhere
 * saves the main thread ~0.6 ms per MiB.
 */
export const HASH_IN_WORKER_FROM = 128 * 1024 * 1024;
/** Bytes received and not yet written, all files together: enough to keep the disk busy, small against RSS. */
const QUEUED_WRITES_BUDGET = 4 * 1024 * 1024;
const WRITE_BUFFER = 1024 * 1024;

const openNew = (file: string, mode: number) => promisify(open)(file, 'wx', mode);

let workerWrites = 0;
let queuedWrites = 0;
let onWritten: (() => void)[] = [];

export interface HashingFileWriteOptions {
  signal?: AbortSignal;
  /** Permissions of the new file (default 0o644). */
  mode?: number;
  /** Size from which the hashing thread hashes (default HASH_IN_WORKER_FROM). */
  workerFrom?: number;
  /** Flush the file's data to disk before returning (once, at the end): for files renamed into a store. */
  sync?: boolean;
}

/**
 * Writes `chunks` into `file`, which must not exist yet, through `hasher`: fails, leaving no file, when the size or
 * digest differ from what `hasher` expects. The chunks are consumed: they are written after the next ones are
 * asked for, so a source must not reuse their memory. A stream that already verifies the same digest and size (a
 * blob from Target.fetchBlob) is counted, not hashed.
 */
export async function writeFileHashing(
  chunks: AsyncIterable<Buffer>,
  file: string,
  hasher: Hasher,
  options: HashingFileWriteOptions = {},
): Promise<void> {
  const size = hasher.options.expectedSize;
  const large =
    !sourceVerifies(chunks, hasher) &&
    size !== undefined &&
    size >= (options.workerFrom ?? HASH_IN_WORKER_FROM) &&
    existsSync(HASHING_THREAD_FILE);
  const ring = large ? openHashingRing(hasher.algorithm) : undefined;
  if (ring) await writeHashedElsewhere(chunks, file, hasher, ring, options);
  else await writeOnThisThread(chunks, file, hasher, options);
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

/** How many files the hashing thread has hashed whole in this process (shows the bundles find its file). */
export function hashingWorkerWrites(): number {
  return workerWrites;
}

async function writeOnThisThread(
  chunks: AsyncIterable<Buffer>,
  file: string,
  hasher: Hasher,
  options: HashingFileWriteOptions,
): Promise<void> {
  const source = chunks instanceof Readable ? chunks : Readable.from(chunks, { objectMode: false });
  // Opened here so that a file that exists is never touched, and one this call created is always removed on failure.
  const fd = await openNew(file, options.mode ?? 0o644);
  // The stream closes the descriptor whatever happens; `flush` syncs the data before it does.
  const sink = createWriteStream('', { fd, highWaterMark: WRITE_BUFFER, flush: options.sync ?? false });
  try {
    await pipeline([source, ...hashingStages(source, hasher), sink], { signal: options.signal });
  } catch (err) {
    await fs.rm(file, { force: true });
    throw err;
  }
}

async function writeHashedElsewhere(
  chunks: AsyncIterable<Buffer>,
  file: string,
  hasher: Hasher,
  ring: HashingRing,
  options: HashingFileWriteOptions,
): Promise<void> {
  const { signal } = options;
  let handle: fs.FileHandle | undefined;
  let writes: QueuedWrites | undefined;
  let written = false;
  try {
    handle = await fs.open(file, 'wx', options.mode ?? 0o644);
    writes = new QueuedWrites(handle);
    const check = () => {
      throwIfAborted(signal);
      writes!.throwIfFailed();
    };
    for await (const chunk of chunks) {
      check();
      hasher.count(chunk.length);
      await ring.push(chunk, check);
      writes.add(chunk);
      await writes.room(check);
    }
    await writes.finish();
    if (options.sync) await handle.datasync();
    check();
    hasher.finishWith(await ring.digest());
    written = true;
    workerWrites++;
  } finally {
    ring.close();
    await writes?.settle();
    await handle?.close().catch(() => undefined);
    if (!written && handle) await fs.rm(file, { force: true });
  }
}

/**
 * A file's writes in order, one at a time, each taking everything queued since the last began (one writev).
 * Chunks wait here until written; all files' queues together stay within QUEUED_WRITES_BUDGET.
 */
class QueuedWrites {
  private queue: Buffer[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(private readonly handle: fs.FileHandle) {}

  add(chunk: Buffer): void {
    this.queue.push(chunk);
    this.queued += chunk.length;
    queuedWrites += chunk.length;
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Waits while all files together have more queued than the budget (a file with nothing queued never waits). */
  async room(check: () => void): Promise<void> {
    while (queuedWrites > QUEUED_WRITES_BUDGET && this.queued > 0) {
      check();
      await new Promise<void>((resolve) => onWritten.push(resolve));
    }
  }

  /** Everything queued is written (or the first failure thrown). */
  async finish(): Promise<void> {
    while (this.writing) await this.writing;
    this.throwIfFailed();
  }

  /** Waits for a write in progress, whatever its outcome, so the file can be closed. */
  async settle(): Promise<void> {
    await this.writing;
    queuedWrites -= this.queued;
    this.queued = 0;
    this.queue = [];
    wakeWriters();
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.failure) {
      const batch = this.queue;
      this.queue = [];
      const bytes = batch.reduce((sum, b) => sum + b.length, 0);
      try {
        await writeAll(this.handle, batch);
      } catch (err) {
        this.failure = err as Error;
      }
      this.queued -= bytes;
      queuedWrites -= bytes;
      wakeWriters();
    }
  }
}

function wakeWriters(): void {
  const waiting = onWritten;
  onWritten = [];
  for (const wake of waiting) wake();
}

/** One writev for the batch; what a short write left over goes again. */
async function writeAll(handle: fs.FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers;
  while (pending.length) {
    let { bytesWritten } = await handle.writev(pending);
    let i = 0;
    while (i < pending.length && bytesWritten >= pending[i]!.length) bytesWritten -= pending[i++]!.length;
    pending = pending.slice(i);
    if (pending.length && bytesWritten > 0) pending[0] = pending[0]!.subarray(bytesWritten);
  }
}
