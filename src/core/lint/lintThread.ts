// Large documents are checked on a thread of their own: validating an 11 MB SBOM takes ~0.5 s, which on the
// extension host would freeze every extension for that long on each pause in typing. The thread starts with the
// first large document, checks one document at a time (a newer version cancels the older one), and stops when it
// has had nothing to do for a while, giving back what its validators hold.
import { Worker, type MessagePort } from 'node:worker_threads';
import { lintEditorDocument, type EditorLintRequest, type EditorLintResult, type SbomLinter } from './editorLint';
import { LayoutBlobStore } from './layout/LayoutBlobStore';

type ThreadRequest = { id: number; lint: EditorLintRequest } | { id: number; cancel: true };
type ThreadReply = { id: number; result: EditorLintResult | null } | { id: number; error: string };

/**
 * A 13 MB CycloneDX SBOM needs 128–192 MiB of the thread's heap while its schema is checked; the limit leaves room
 * for SBOMs several times larger and stops a document that would take the extension host's memory with it.
 */
const HEAP_MB = 1024;
const IDLE_MS = 30_000;
/** Layout folders whose blob stores (and the digests they computed) the thread keeps. */
const MAX_STORES = 16;

interface Pending {
  resolve(result: EditorLintResult | undefined): void;
  reject(error: Error): void;
  /** The document's length, to remember what ran out of memory. */
  chars: number;
}

export class LintThread {
  /** Documents the thread has checked since it was made (tests). */
  checks = 0;
  private worker: Worker | undefined;
  /** The length of the shortest document that ran out of the thread's memory. */
  private outOfMemoryAt: number | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The worker's script (its bundle, or the compiled module in tests), which calls serveEditorLint. */
    private readonly workerFile: string,
    private readonly limits: { idleMs?: number; heapMb?: number } = {},
  ) {}

  /** Whether the thread is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  lint(request: EditorLintRequest, signal?: AbortSignal): Promise<EditorLintResult | undefined> {
    if (signal?.aborted) return Promise.reject(abortError());
    const chars = typeof request.input === 'string' ? request.input.length : request.input.text.length;
    // A document as long as one that ran out of memory would only start (and fill) another thread: on every pause
    // in typing, a gigabyte each time. Until it gets shorter, it is not checked.
    if (this.outOfMemoryAt !== undefined && chars >= this.outOfMemoryAt)
      return Promise.reject(tooLarge(this.limits.heapMb ?? HEAP_MB));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<EditorLintResult | undefined>((resolve, reject) => {
      const onAbort = (): void => {
        this.settle(id)?.reject(abortError());
        worker.postMessage({ id, cancel: true } satisfies ThreadRequest);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
        chars,
      });
      worker.postMessage({ id, lint: request } satisfies ThreadRequest);
    });
  }

  dispose(): void {
    this.stop(new Error('the lint thread was closed'));
  }

  private start(): Worker {
    clearTimeout(this.idleTimer);
    if (this.worker) {
      this.worker.ref();
      return this.worker;
    }
    const heapMb = this.limits.heapMb ?? HEAP_MB;
    const worker = new Worker(this.workerFile, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    worker.on('message', (reply: ThreadReply) => {
      const pending = this.settle(reply.id);
      if ('error' in reply) pending?.reject(new Error(reply.error));
      else {
        this.checks++;
        pending?.resolve(reply.result ?? undefined);
      }
    });
    // A thread let go (idle, out of memory) ends after its successor may have started: its end stops only itself.
    worker.on('error', (err) => {
      if (this.worker !== worker) return;
      const outOfMemory = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      // The thread checks one document at a time, the oldest asked: that one ran out of memory.
      const checking = this.pending.values().next().value;
      if (outOfMemory && checking) this.outOfMemoryAt = Math.min(this.outOfMemoryAt ?? Infinity, checking.chars);
      this.stop(outOfMemory ? tooLarge(heapMb) : new Error(`the lint thread failed: ${err.message}`));
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.stop(new Error(`the lint thread stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (!this.pending.size && this.worker) {
      // Nothing asked: the thread neither keeps the process alive nor its memory for long.
      this.worker.unref();
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.stop(), this.limits.idleMs ?? IDLE_MS);
      this.idleTimer.unref();
    }
    return pending;
  }

  private stop(reason?: Error): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const each of pending) each.reject(reason ?? new Error('the lint thread stopped'));
    void worker.terminate();
  }
}

/** The thread's side: answers LintThread's requests one at a time, in order, dropping those cancelled. */
export function serveEditorLint(port: MessagePort, lintSbom: SbomLinter): void {
  const queue: { id: number; lint: EditorLintRequest }[] = [];
  const stores = new Map<string, LayoutBlobStore>();
  let running: { id: number; controller: AbortController } | undefined;
  const storeFor = (root: string): LayoutBlobStore => {
    let store = stores.get(root);
    if (!store) {
      if (stores.size >= MAX_STORES) stores.delete(stores.keys().next().value!);
      stores.set(root, (store = new LayoutBlobStore(root)));
    }
    return store;
  };
  const next = async (): Promise<void> => {
    while (!running && queue.length) {
      const { id, lint } = queue.shift()!;
      const controller = new AbortController();
      running = { id, controller };
      let reply: ThreadReply;
      try {
        const result = await lintEditorDocument(lint, { lintSbom, storeFor, signal: controller.signal });
        reply = { id, result: result ?? null };
      } catch (err) {
        reply = { id, error: (err as Error).message };
      }
      running = undefined;
      if (!controller.signal.aborted) port.postMessage(reply);
    }
  };
  port.on('message', (request: ThreadRequest) => {
    if ('cancel' in request) {
      if (running?.id === request.id) return running.controller.abort();
      // A queued check lets go of its document now, not when its turn comes (a large one, each pause in typing).
      // A cancel that crossed its answer on the way names nothing queued.
      const queued = queue.findIndex((each) => each.id === request.id);
      if (queued >= 0) queue.splice(queued, 1);
      return;
    }
    queue.push(request);
    void next();
  });
}

function abortError(): Error {
  return Object.assign(new Error('the check was cancelled'), { name: 'AbortError' });
}

function tooLarge(heapMb: number): Error {
  return new Error(`checking it needs more than ${heapMb} MiB: not checked`);
}
