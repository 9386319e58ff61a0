// A lock that holds across processes: a lock file created exclusively ("wx"), naming its owner.
//
// Stale locks (a holder that crashed) are broken when the owner's PID is gone on this host, or when the
// file was not refreshed for `staleMs` (holders refresh it while they work, so slow work is not broken), or
// its mtime lies more than `staleMs` in the future.
// Breaking is itself serialised by an exclusive `mkdir` of "<lock>.break", and the breaker re-reads the
// lock before removing it: two waiters can never both remove a lock and both proceed.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import { OciError, throwIfAborted } from '../oci';
import { pathlessAbout, processIsGone, sleep } from '../content';

export interface LockOptions {
  signal?: AbortSignal;
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale (default 30 s). */
  staleMs?: number;
  /** Names the lock in error messages. */
  what?: string;
  /**
   * Called once when another holder has kept the lock for WAIT_NOTICE_MS: a wait of up to `timeoutMs` with nothing
   * said looks like a hang. Its owner is given when the lock file names one.
   */
  onWait?: (holder: LockHolder | undefined) => void;
}

/** Who holds a lock, as its file says. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** Brief turns (pushes into one layout) pass unnoticed; a longer wait is told. */
const WAIT_NOTICE_MS = 1000;

interface Owner {
  pid: number;
  host: string;
  nonce: string;
  since: string;
}

const BREAK_STALE_MS = 10_000;

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireFileLock(lockPath, options);
  try {
    return await work();
  } finally {
    await release();
  }
}

/**
 * Creates the lock file holding `content`; false when it exists. A write that fails (a full disk) removes the file
 * it created: an empty lock left behind would hold every later writer off until it went stale. Only that file: a
 * write that took longer than `staleMs` let another process break the empty lock as stale and create its own, which
 * must stay. `write` is the file's write (a test's fault in its place).
 */
export async function createLockFile(
  lockPath: string,
  content: string,
  write: (handle: fs.FileHandle, content: string) => Promise<void> = (handle, text) => handle.writeFile(text),
): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(lockPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await write(handle, content);
  } catch (err) {
    const created = await handle.stat().catch(() => undefined);
    await handle.close().catch(() => undefined);
    const now = await fs.lstat(lockPath).catch(() => undefined);
    if (created && now && now.ino === created.ino && now.dev === created.dev) await fs.rm(lockPath, { force: true });
    // A write names no file ("ENOSPC: …, write"): said about the lock.
    throw pathlessAbout(err, lockPath);
  }
  await handle.close();
  return true;
}

/** Acquires the lock and returns the function that releases it. */
export async function acquireFileLock(lockPath: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const { signal, timeoutMs = 120_000, staleMs = 30_000, what = lockPath } = options;
  const owner: Owner = {
    pid: process.pid,
    host: os.hostname(),
    nonce: randomBytes(8).toString('hex'),
    since: new Date().toISOString(),
  };
  const content = JSON.stringify(owner);
  const started = Date.now();
  const deadline = started + timeoutMs;
  let noticed = !options.onWait;
  let delay = 2;
  for (;;) {
    throwIfAborted(signal);
    if (await createLockFile(lockPath, content)) break;
    if (await breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      const holder = await readOwner(lockPath);
      throw new OciError(
        'LAYOUT',
        `timed out after ${timeoutMs} ms waiting for the lock ${what}${holder ? ` (held by process ${holder.pid} on ${holder.host} since ${holder.since})` : ''}`,
      );
    }
    if (!noticed && Date.now() - started >= WAIT_NOTICE_MS) {
      noticed = true;
      const holder = await readOwner(lockPath);
      options.onWait!(holder && { pid: holder.pid, host: holder.host, since: holder.since });
    }
    await sleep(delay + Math.random() * delay, signal);
    delay = Math.min(delay * 1.5, 100);
  }

  // Refresh the lock's mtime while held, so long work (garbage collection) is not mistaken for a crash.
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      fs.utimes(lockPath, now, now).catch(() => undefined);
    },
    Math.max(staleMs / 3, 50),
  );
  heartbeat.unref();

  return async () => {
    clearInterval(heartbeat);
    const current = await readLock(lockPath);
    if (current !== 'not-a-lock' && current?.content === content) await fs.rm(lockPath, { force: true });
  };
}

async function readOwner(lockPath: string): Promise<Owner | undefined> {
  try {
    const lock = await readLock(lockPath);
    if (!lock || lock === 'not-a-lock') return undefined;
    const parsed = JSON.parse(lock.content) as Partial<Owner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return parsed as Owner;
  } catch {
    return undefined;
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<{ stale: boolean; content?: string }> {
  const lock = await readLock(lockPath);
  if (!lock) return { stale: false };
  // A link or a special file where the lock should be was never written by a holder: removing it (the entry
  // itself, rm does not follow links) is safe.
  if (lock === 'not-a-lock') return { stale: true, content: lock };
  const { content, mtimeMs } = lock;
  const owner = await readOwner(lockPath);
  // The owner record is written just after the file is created: an empty one is judged by its age alone.
  if (owner && owner.host === os.hostname() && processIsGone(owner.pid)) return { stale: true, content };
  // A holder refreshes the mtime to its own clock, so an mtime far in the future (a clock set back, a file
  // copied in, another host's clock far ahead) says nothing about a live holder: judge its distance either way.
  return { stale: Math.abs(Date.now() - mtimeMs) > staleMs, content };
}

/** Removes the lock when it is stale; true when it did (the caller then retries at once). */
async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  const first = await isStale(lockPath, staleMs);
  if (!first.stale) return false;
  const breakDir = `${lockPath}.break`;
  try {
    await fs.mkdir(breakDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another waiter is breaking it; a break marker left by a crashed breaker is itself cleared after a while.
    const age = await fs.stat(breakDir).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > BREAK_STALE_MS) await fs.rmdir(breakDir).catch(() => undefined);
    return false;
  }
  try {
    const again = await isStale(lockPath, staleMs);
    if (!again.stale || again.content !== first.content) return false;
    await fs.rm(lockPath, { force: true });
    return true;
  } finally {
    await fs.rmdir(breakDir).catch(() => undefined);
  }
}

const MAX_LOCK_BYTES = 4096;

/**
 * The lock file's content and mtime, read without following a link and up to a few KiB (a lock linked to
 * /dev/zero must not be read forever); 'not-a-lock' for a link, a special or an oversized file; undefined when gone.
 */
async function readLock(lockPath: string): Promise<{ content: string; mtimeMs: number } | 'not-a-lock' | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(lockPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ELOOP' || code === 'EMLINK' ? 'not-a-lock' : undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_LOCK_BYTES) return 'not-a-lock';
    return { content: (await handle.readFile()).toString('utf8'), mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
