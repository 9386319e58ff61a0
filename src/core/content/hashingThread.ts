// The one hashing thread of the process, shared by every large file being written at the same time (a pull of
// several files, a copy of a multi-layer image): the main thread only reads the network and hands chunks over.
// One thread rather than one per file: each costs ~10 MiB and a start of ~50 ms, and one already hashes faster
// than two cores can feed it. Memory is one budget for all files together, so parallel transfers cannot pile up
// more than MAX_IN_FLIGHT between the threads whatever their number.
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { throwIfAborted, type Algorithm } from '../oci';
import type { WorkerReply, WorkerRequest } from './hashingFileProtocol';

/**
 * Bytes given to the thread and not yet written, all files together. Alternating 1 GiB runs (medians of 8, peak RSS):
 * pull 2 MiB 1.50 s, 4 MiB 1.28–1.34 s (100–104 MiB), 8 MiB 1.26–1.31 s (103–108 MiB), 16 MiB 1.22 s (111–116 MiB);
 * 4-layer copy into a layout 4 MiB 1.56 s, 8 MiB 1.54 s, 16 MiB 1.46 s. 8 MiB keeps a margin under 120 MiB.
 */
export const MAX_IN_FLIGHT = 8 * 1024 * 1024;
/** Beside this module: dist/ for the bundles (built as its own entry), the compiled tree for tests. */
export const WORKER_FILE = path.join(__dirname, 'hashingFileWorker.js');
/** The thread holds a few small objects at a time: a small heap keeps its share of memory small. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, stackSizeMb: 1 };
/** An idle thread is kept this long for the next file (a sequence of large files starts it once). */
const IDLE_MS = 2000;

let shared: HashingThread | undefined;

/** A file's conversation with the thread: its bytes in flight, its digest, its failure. */
export class HashingChannel {
  inFlight = 0;
  /** Bytes the thread has hashed and written so far. */
  written = 0;
  digest: string | undefined;
  closed = false;
  failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly thread: HashingThread,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Hands a batch over; the buffers are detached from this thread. */
  send(buffers: ArrayBuffer[], bytes: number): void {
    this.thread.post({ id: this.id, buffers }, buffers);
    this.inFlight += bytes;
    this.thread.inFlight += bytes;
  }

  /** Waits while the shared budget is spent; a file with nothing in flight may always send (no one starves). */
  async waitForRoom(): Promise<void> {
    await this.until(() => this.inFlight === 0 || this.thread.inFlight < MAX_IN_FLIGHT);
  }

  /** Ends the file: resolves with its hex digest once every batch is hashed and written. */
  async end(): Promise<string> {
    this.thread.post({ id: this.id, end: true });
    await this.until(() => this.digest !== undefined);
    return this.digest!;
  }

  /** After a failure or abort: resolves once the thread will write nothing more to this file's descriptor. */
  async close(): Promise<void> {
    if (this.thread.alive) {
      this.thread.post({ id: this.id, close: true });
      while (!this.closed && this.thread.alive) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    }
    // A thread that failed may still have a write in libuv's pool: its exit waits for that, and so does the caller
    // before it closes the descriptor (whose number the next file opened may get).
    if (!this.closed) await this.thread.exited;
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
    throwIfAborted(this.signal);
  }

  async until(condition: () => boolean): Promise<void> {
    const onAbort = () => this.notify();
    this.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        this.throwIfFailed();
        if (condition()) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

export class HashingThread {
  inFlight = 0;
  alive = true;
  /** Resolves when the thread has stopped, its event loop and the writes it started over. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private readonly channels = new Map<number, HashingChannel>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  private constructor() {
    // Loaded here: node:worker_threads costs every CLI start ~1.5 ms, and only large writes start the thread.
    const threads = require('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new threads.Worker(WORKER_FILE, { resourceLimits: WORKER_LIMITS });
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.stopped(err));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('exit', () => this.stopped(new Error('the hashing thread stopped')));
  }

  /** The shared thread (started on first use), with a new channel for a file whose bytes go to `fd` at `position`. */
  static open(fd: number, position: number, algorithm: Algorithm, signal?: AbortSignal): HashingChannel {
    if (!shared?.alive) shared = new HashingThread();
    return shared.openChannel(fd, position, algorithm, signal);
  }

  /** Bytes handed to the thread and not yet written, all files together (tests). */
  static bytesInFlight(): number {
    return shared?.alive ? shared.inFlight : 0;
  }

  /** Files the thread serves now (tests). */
  static openFiles(): number {
    return shared?.alive ? shared.channels.size : 0;
  }

  post(message: WorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** The file is done with the thread; when no file is left, the thread stops keeping the process alive. */
  static release(channel: HashingChannel): void {
    channel.thread.forget(channel);
  }

  forget(channel: HashingChannel): void {
    // Its batches still in flight come back as "done" and give their bytes back to the budget then.
    this.channels.delete(channel.id);
    if (this.channels.size || !this.alive) return;
    this.worker.unref();
    this.idleTimer = setTimeout(() => {
      if (!this.channels.size) void this.stop();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private openChannel(fd: number, position: number, algorithm: Algorithm, signal?: AbortSignal): HashingChannel {
    clearTimeout(this.idleTimer);
    this.worker.ref();
    const channel = new HashingChannel(this.nextId++, this, signal);
    this.channels.set(channel.id, channel);
    this.post({ id: channel.id, open: { fd, position, algorithm } });
    return channel;
  }

  private onReply(reply: WorkerReply): void {
    const channel = this.channels.get(reply.id);
    if ('done' in reply) {
      this.inFlight -= reply.done;
      if (channel) {
        channel.inFlight -= reply.done;
        channel.written += reply.done;
      }
      // Room in the shared budget: every file may be waiting for it.
      for (const each of this.channels.values()) each.notify();
      return;
    }
    if (!channel) return;
    if ('digest' in reply) channel.digest = reply.digest;
    else if ('closed' in reply) channel.closed = true;
    else channel.failure ??= Object.assign(new Error(reply.error.message), { code: reply.error.code });
    channel.notify();
  }

  private stopped(err: Error): void {
    if (!this.alive) return;
    this.alive = false;
    if (shared === this) shared = undefined;
    for (const channel of this.channels.values()) {
      channel.failure ??= err;
      channel.notify();
    }
  }

  private async stop(): Promise<void> {
    this.alive = false;
    if (shared === this) shared = undefined;
    await this.worker.terminate();
  }
}
