// The one hashing thread of the process (hashingFileWorker.ts), shared by every large file being written: each
// file gets a ring of shared memory to copy its bytes into, from a budget shared by all of them, and the thread
// hashes them out of it. It starts with the first ring and stops when the last one closes.
import * as path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Algorithm } from '../oci';
import {
  ABANDONED,
  CONTROL_LENGTH,
  ENDED,
  FILLED,
  STATE,
  DOORBELL_LENGTH,
  SLEEPING,
  STOP,
  type HashingThreadSetup,
  type RingDigest,
  type RingOpen,
} from './hashingFileProtocol';

/** Beside this module: dist/ for the bundles (built as its own entry), the compiled tree for tests. */
export const HASHING_THREAD_FILE = path.join(__dirname, 'hashingFileWorker.js');

/** Each file's ring: room for a few network reads while the thread hashes (it hashes ~1.7 GB/s here). */
export const RING_BYTES = 2 * 1024 * 1024;
/** How much a ring holds before the thread is woken to hash it (it also is at the end of the file). */
const WAKE_AT = 512 * 1024;
/** What all rings together may take: four large files at once are hashed by the thread, more on their own threads. */
const RINGS_BUDGET = 4 * RING_BYTES;
/** How long a wait for room in a ring lasts before it checks again that the thread still runs. */
const WAIT_CHECK_MS = 500;

/** Atomics.waitAsync (V8 has it; TypeScript's lib for this target does not declare it yet). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: unknown };
  }
).waitAsync;

/** The thread holds a few small objects at a time: a small heap keeps its share of memory small. */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, stackSizeMb: 1 };

let thread: HashingThread | undefined;
let ringsInUse = 0;
let threadsStarted = 0;

/** A ring on the hashing thread for one file, or undefined when the budget is spent (hash on this thread then). */
export function openHashingRing(algorithm: Algorithm): HashingRing | undefined {
  if (ringsInUse + RING_BYTES > RINGS_BUDGET) return undefined;
  thread ??= new HashingThread();
  ringsInUse += RING_BYTES;
  return thread.open(algorithm);
}

/** True while any file is hashed by the thread (tests check that large writes use it). */
export function hashingThreadInUse(): boolean {
  return ringsInUse > 0;
}

/** How many times the thread was started in this process (tests check that parallel writes share it). */
export function hashingThreadStarts(): number {
  return threadsStarted;
}

class HashingThread {
  private readonly worker: Worker;
  private readonly doorbell = new Int32Array(new SharedArrayBuffer(DOORBELL_LENGTH * 4));
  private readonly port: MessagePort;
  private readonly digests = new Map<number, { resolve(hex: string): void; reject(err: Error): void }>();
  private readonly open_ = new Set<HashingRing>();
  private nextId = 1;
  failure: Error | undefined;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const setup: HashingThreadSetup = {
      doorbell: this.doorbell.buffer as SharedArrayBuffer,
      port: port2,
    };
    this.worker = new Worker(HASHING_THREAD_FILE, {
      workerData: setup,
      transferList: [port2],
      resourceLimits: THREAD_LIMITS,
    });
    threadsStarted++;
    this.worker.on('message', (reply: RingDigest) => {
      this.digests.get(reply.id)?.resolve(reply.digest);
      this.digests.delete(reply.id);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      for (const waiter of this.digests.values()) waiter.reject(this.failure);
      this.digests.clear();
      if (thread === this) thread = undefined;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the hashing thread stopped')));
  }

  open(algorithm: Algorithm): HashingRing {
    const ring = new HashingRing(this, this.nextId++, algorithm);
    this.open_.add(ring);
    this.port.postMessage(ring.opening());
    this.ring();
    return ring;
  }

  /** Tells the thread a ring or the port has something new, waking it if it sleeps. */
  ring(): void {
    Atomics.add(this.doorbell, 0, 1);
    if (Atomics.load(this.doorbell, SLEEPING)) Atomics.notify(this.doorbell, 0);
  }

  digestOf(id: number): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.digests.set(id, { resolve, reject }));
  }

  closed(ring: HashingRing): void {
    if (!this.open_.delete(ring)) return;
    ringsInUse -= RING_BYTES;
    this.digests.delete(ring.id);
    if (this.open_.size) return;
    // The last file is done: the thread goes (a long-lived editor should not keep it), the next file starts one.
    if (thread === this) thread = undefined;
    Atomics.store(this.doorbell, STOP, 1);
    this.ring();
    this.port.close();
    void this.worker.terminate();
  }
}

/** One file's ring: `push` copies bytes in (waiting for room), `digest` ends it, `close` gives it back. */
export class HashingRing {
  private readonly bytes = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
  /** Where the next byte goes. */
  private at = 0;

  constructor(
    private readonly thread: HashingThread,
    readonly id: number,
    private readonly algorithm: Algorithm,
  ) {}

  opening(): RingOpen {
    return {
      id: this.id,
      algorithm: this.algorithm,
      ring: this.bytes.buffer as SharedArrayBuffer,
      control: this.control.buffer as SharedArrayBuffer,
    };
  }

  /** Copies `chunk` into the ring, waiting while the thread has not hashed enough to make room. */
  async push(chunk: Uint8Array, check: () => void): Promise<void> {
    const size = this.bytes.length;
    for (let from = 0; from < chunk.length;) {
      const room = size - Atomics.load(this.control, FILLED);
      if (room === 0) {
        if (this.thread.failure) throw this.thread.failure;
        check();
        const wait = waitAsync(this.control, FILLED, size, WAIT_CHECK_MS);
        if (wait.async) await wait.value;
        continue;
      }
      const length = Math.min(room, chunk.length - from, size - this.at);
      this.bytes.set(chunk.subarray(from, from + length), this.at);
      this.at = (this.at + length) % size;
      from += length;
      // The thread is woken (a system call while it sleeps) when enough for a good step is waiting, not per chunk.
      const before = Atomics.add(this.control, FILLED, length);
      if (before < WAKE_AT && before + length >= WAKE_AT) this.thread.ring();
    }
  }

  /** All bytes are in: the digest (hex) once the thread hashed them. */
  async digest(): Promise<string> {
    const digest = this.thread.digestOf(this.id);
    Atomics.store(this.control, STATE, ENDED);
    this.thread.ring();
    return digest;
  }

  /** Gives the ring back (after its digest, or abandoning it). */
  close(): void {
    if (Atomics.load(this.control, STATE) !== ENDED) {
      Atomics.store(this.control, STATE, ABANDONED);
      this.thread.ring();
    }
    this.thread.closed(this);
  }
}
