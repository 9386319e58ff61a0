// Writes a blob's bytes into a new file while hashing them. Large files are hashed and written by a worker
// thread: during a download the main thread is busy reading the socket, and hashing (~0.7 s per GiB) plus
// handing out writes on that same thread made it the bottleneck of a pull (1 GiB: ~2.5 s inline, ~2.2 s here).
// Chunks go to the worker without a copy when they own their memory (a socket read's buffer) and come back
// after use, so neither thread collects a pile of dead buffers.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type { Hasher } from './hashing';
import { throwIfAborted } from '../oci';
import { hashingStages, sourceVerifies } from './hashingStages';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './hashingFileProtocol';
import { tempPathIn } from './atomicFile';

/**
 * Below this, starting a thread costs more than it saves: a worker takes ~50 ms to come up, and hashing elsewhere
 * saves the main thread ~0.35 ms per MiB, so the break-even is near 140 MiB.
 */
export const HASH_IN_WORKER_FROM = 128 * 1024 * 1024;
/** Bytes given to the worker and not yet written: enough to keep it busy, little against the memory bound. */
const MAX_IN_FLIGHT = 3 * 1024 * 1024;
/**
 * Chunks go over in batches of about this much: one message (and one writev) per batch rather than per chunk.
 * 1 MiB batches (3 MiB in flight) pulled 1 GiB in 1.49 s against 1.57 s with 512 KiB (2 MiB), same peak RSS;
 * 8 MiB in flight passed 120 MiB.
 */
const BATCH = 1024 * 1024;
const WRITE_BUFFER = 1024 * 1024;
/** Beside this module: dist/ for the bundles (built as its own entry), the compiled tree for tests. */
const WORKER_FILE = path.join(__dirname, 'hashingFileWorker.js');

/** The worker holds a few small objects at a time: a small heap keeps its share of memory small. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, stackSizeMb: 1 };

/** One worker at a time: each thread costs ~10 MiB, and one already frees the main thread for the network. */
let workerInUse = false;
let workerWrites = 0;

export interface HashingFileWriteOptions {
  signal?: AbortSignal;
  /** Permissions of the new file (default 0o644). */
  mode?: number;
  /** Size from which a worker thread hashes and writes (default HASH_IN_WORKER_FROM). */
  workerFrom?: number;
  /** Flush the file's data to disk before returning (once, at the end): for files renamed into a store. */
  sync?: boolean;
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
  const size = hasher.options.expectedSize;
  // A stream that already checks these bytes (a verified download) is only counted, on this thread.
  if (
    sourceVerifies(chunks, hasher) ||
    workerInUse ||
    size === undefined ||
    size < (options.workerFrom ?? HASH_IN_WORKER_FROM) ||
    !existsSync(WORKER_FILE)
  ) {
    await writeOnThisThread(chunks, file, hasher, options);
    return;
  }
  workerInUse = true;
  try {
    await writeInWorker(chunks, file, hasher, options);
  } finally {
    workerInUse = false;
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

/** True while a worker is writing (tests check that large writes use it). */
export function hashingWorkerInUse(): boolean {
  return workerInUse;
}

/** How many files a worker has written whole in this process (shows the bundles find the worker's file). */
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
  const handle = await fs.open(file, 'wx', options.mode ?? 0o644);
  try {
    await pipeline(
      [
        source,
        ...hashingStages(source, hasher),
        // `flush` syncs the data before the stream closes the file.
        handle.createWriteStream({ highWaterMark: WRITE_BUFFER, flush: options.sync ?? false }),
      ],
      { signal: options.signal },
    );
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(file, { force: true });
    throw err;
  }
}

async function writeInWorker(
  chunks: AsyncIterable<Buffer>,
  file: string,
  hasher: Hasher,
  options: HashingFileWriteOptions,
): Promise<void> {
  const handle = await fs.open(file, 'wx', options.mode ?? 0o644);
  let worker: Worker | undefined;
  let replies: Replies | undefined;
  let finished = false;
  try {
    const setup: WorkerSetup = { fd: handle.fd, algorithm: hasher.algorithm };
    worker = new Worker(WORKER_FILE, { workerData: setup, resourceLimits: WORKER_LIMITS });
    replies = new Replies(worker, options.signal);
    const digest = await feedWorker(worker, replies, chunks, hasher);
    if (options.sync) await handle.datasync();
    hasher.finishWith(digest);
    finished = true;
    workerWrites++;
  } finally {
    // The worker stops before the descriptor closes: a late write must never land in a reused descriptor.
    replies?.dispose();
    await worker?.terminate();
    await handle.close();
    if (!finished) await fs.rm(file, { force: true });
  }
}

/** Hands `chunks` to the worker in batches, at most MAX_IN_FLIGHT bytes ahead of it; resolves with its hex digest. */
async function feedWorker(
  worker: Worker,
  replies: Replies,
  chunks: AsyncIterable<Buffer>,
  hasher: Hasher,
): Promise<string> {
  let batch: ArrayBuffer[] = [];
  let batchBytes = 0;
  const send = () => {
    worker.postMessage({ buffers: batch } satisfies WorkerRequest, batch);
    replies.inFlight += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for await (const chunk of chunks) {
    replies.throwIfFailed();
    hasher.count(chunk.length);
    batchBytes += chunk.length;
    batch.push(ownMemory(chunk));
    if (batchBytes < BATCH) continue;
    send();
    if (replies.inFlight >= MAX_IN_FLIGHT) await replies.until(() => replies.inFlight < MAX_IN_FLIGHT);
  }
  if (batch.length) send();
  worker.postMessage({ end: true } satisfies WorkerRequest);
  await replies.until(() => replies.digest !== undefined);
  return replies.digest!;
}

/**
 * The chunk's memory to give away: its own buffer when the chunk spans all of it (what a socket read yields), else
 * a copy (a slice of a shared pool or of a larger read must not be detached under its other users).
 */
function ownMemory(chunk: Buffer): ArrayBuffer {
  const { buffer } = chunk;
  if (buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength) return buffer;
  const copy = new ArrayBuffer(chunk.length);
  new Uint8Array(copy).set(chunk);
  return copy;
}

/** What the worker answered: bytes written, the digest, or a failure; wakes whoever waits on any of them. */
class Replies {
  inFlight = 0;
  digest: string | undefined;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onAbort = () => this.notify();

  constructor(
    worker: Worker,
    private readonly signal: AbortSignal | undefined,
  ) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.done !== undefined) this.inFlight -= reply.done;
      else if (reply.digest !== undefined) this.digest = reply.digest;
      else this.failure ??= Object.assign(new Error(reply.error.message), { code: reply.error.code });
      this.notify();
    });
    worker.on('error', (err) => {
      this.failure ??= err;
      this.notify();
    });
    worker.on('exit', () => {
      this.failure ??= new Error('the hashing thread stopped');
      this.notify();
    });
    signal?.addEventListener('abort', this.onAbort);
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
    throwIfAborted(this.signal);
  }

  async until(condition: () => boolean): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      if (condition()) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
