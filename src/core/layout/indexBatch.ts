// A long run's tag writes gathered and written to index.json in batches. A copy of many tags into a layout wrote the
// whole index.json for every manifest it tagged — four times a signed tag (its subject's referrers index once per
// signature, then the tag) — and the file grows with the tags: 2,000 signed tags took 111 s, and more a tag the more
// there were. In a batch, tags wait in PendingTags (this process's reads see them at once) and reach the file at
// most about once a second, never for more than a fifth of the time (a large index takes longer to write), and
// whatever way the batch ends: done, failed or cancelled.
//
// What other readers see: every tag a writer sets names content already complete in the layout (blobs, children
// and, in a copy with referrers, its referrers: the copy tags a root last), so the file names only complete content
// at every write. An interrupted run leaves a valid layout that lacks at most the last second's tags, whose content
// is there for the rerun to find. A referrers index is read, changed and written under the referrers lock so that
// no two writers change one from the same reading: the lock is kept from the first such change held here until the
// write that makes it visible, and released as soon as nothing waits for one.
import type { Descriptor } from '../oci';
import { PendingTags } from './pendingTags';

/** The least time between two writes of index.json in a batch. */
export const BATCH_INTERVAL_MS = 1000;
/** A write of index.json may take this share of the time at most: a slow write pushes the next one further out. */
const WRITE_SHARE = 5;
/** Manifest bytes held for a write past which it is made at once (a source of large manifests). */
const MAX_HELD_BYTES = 8 * 1024 * 1024;

export interface BatchWriter {
  /** Writes the pending tags and releases (under the index lock), and settles them. */
  commit(batch: IndexBatch): Promise<void>;
  /** Takes the referrers lock; resolves to the function that gives it back. */
  lockReferrers(): Promise<() => Promise<void>>;
}

/** A manifest blob to remove once the file no longer names it (LayoutTarget.releaseManifest, put off). */
export interface PendingRelease {
  descriptor: Descriptor;
  untouchedSince?: number;
}

export class IndexBatch {
  readonly tags = new PendingTags();
  private releases: PendingRelease[] = [];
  /** Nested batches (a batch inside a batch) end with the outermost. */
  depth = 1;
  private timer: NodeJS.Timeout | undefined;
  private lastWrite: number;
  private lastTook = 0;
  private writing: Promise<void> = Promise.resolve();
  /** A timed write that failed: said to the next tag set, written again at the end. */
  private failure: unknown;
  private heldLock: Promise<() => Promise<void>> | undefined;
  private underLock = 0;

  constructor(
    private readonly writer: BatchWriter,
    private readonly intervalMs = BATCH_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.lastWrite = now();
  }

  /** Sets a tag for the next write (its content is complete: see above). A timed write that failed is thrown here. */
  setTag(tag: string, entry: Descriptor, bytes: Buffer | undefined): void {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    this.tags.set(tag, entry, bytes, this.underLock > 0);
    this.schedule();
  }

  /** A superseded manifest the file may still name: removed after the next write, if nothing names it then. */
  releaseLater(release: PendingRelease): void {
    this.releases.push(release);
    this.schedule();
  }

  /** The releases up to now, for the write to make (they are then no longer pending). */
  takeReleases(): PendingRelease[] {
    const taken = this.releases;
    this.releases = [];
    return taken;
  }

  /** Runs `work` holding the referrers lock, which stays held while a change made under it waits for the write. */
  async withReferrersLock<T>(work: () => Promise<T>): Promise<T> {
    this.heldLock ??= this.writer.lockReferrers();
    const held = this.heldLock;
    try {
      await held;
    } catch (err) {
      if (this.heldLock === held) this.heldLock = undefined;
      throw err;
    }
    this.underLock++;
    try {
      return await work();
    } finally {
      this.underLock--;
      await this.letGoIfIdle();
    }
  }

  /** Writes what is pending now (after any write under way). */
  write(): Promise<void> {
    const run = async () => {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.tags.size || this.releases.length) {
        const started = this.now();
        await this.writer.commit(this);
        this.lastWrite = this.now();
        this.lastTook = this.lastWrite - started;
      }
      await this.letGoIfIdle();
      if (this.tags.size || this.releases.length) this.schedule();
    };
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** The last write, whatever way the batch's work ended; the referrers lock is given back. */
  async end(): Promise<void> {
    this.failure = undefined;
    await this.write();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) return;
    const gap = Math.max(this.intervalMs, this.lastTook * WRITE_SHARE);
    const wait = this.tags.heldBytes > MAX_HELD_BYTES ? 0 : Math.max(0, this.lastWrite + gap - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write().catch((err: unknown) => {
        this.failure ??= err;
      });
    }, wait);
    this.timer.unref();
  }

  private async letGoIfIdle(): Promise<void> {
    if (!this.heldLock || this.underLock > 0 || this.tags.hasGuarded()) return;
    const held = this.heldLock;
    this.heldLock = undefined;
    const release = await held.catch(() => undefined);
    await release?.();
  }
}
