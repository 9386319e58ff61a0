// A lock that holds across processes: a lock file created exclusively ("wx"), naming its owner.
//
// Stale locks (a holder that crashed) are broken when the owner's PID is gone on this host, or when the
// file was not refreshed for `staleMs` (holders refresh it while they work, so slow work is not broken), or
// its mtime lies more than `staleMs` in the future.
// Breaking is itself serialised by an exclusive `mkdir` of "<lock>.break", and the breaker re-reads the
// lock before removing it: two waiters can never both remove a lock and both proceed.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { AbortedError, OciError, throwIfAborted } from '../errors';

export interface LockOptions {
  signal?: AbortSignal;
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale (default 30 s). */
  staleMs?: number;
  /** Names the lock in error messages. */
  what?: string;
}

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

/** Acquires the lock and returns the function that releases it. */
export async function acquireFileLock(lockPath: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const { signal, timeoutMs = 120_000, staleMs = 30_000, what = lockPath } = options;
  const owner: Owner = { pid: process.pid, host: os.hostname(), nonce: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  const content = JSON.stringify(owner);
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    throwIfAborted(signal);
    try {
      await fs.writeFile(lockPath, content, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await breakIfStale(lockPath, staleMs)) continue;
    if (Date.now() > deadline) {
      const holder = await readOwner(lockPath);
      throw new OciError('LAYOUT', `timed out after ${timeoutMs} ms waiting for the lock ${what}${holder ? ` (held by process ${holder.pid} on ${holder.host} since ${holder.since})` : ''}`);
    }
    await sleep(delay + Math.random() * delay, signal);
    delay = Math.min(delay * 1.5, 100);
  }

  // Refresh the lock's mtime while held, so long work (garbage collection) is not mistaken for a crash.
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(staleMs / 3, 50));
  heartbeat.unref();

  return async () => {
    clearInterval(heartbeat);
    const current = await fs.readFile(lockPath, 'utf8').catch(() => undefined);
    if (current === content) await fs.rm(lockPath, { force: true });
  };
}

async function readOwner(lockPath: string): Promise<Owner | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(lockPath, 'utf8')) as Partial<Owner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return parsed as Owner;
  } catch {
    return undefined;
  }
}

/** True when no process `pid` exists on this host (a process we may not signal still exists). */
export function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<{ stale: boolean; content?: string }> {
  let content: string;
  let mtimeMs: number;
  try {
    content = await fs.readFile(lockPath, 'utf8');
    mtimeMs = (await fs.stat(lockPath)).mtimeMs;
  } catch {
    return { stale: false };
  }
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
    const age = await fs.stat(breakDir).then((s) => Date.now() - s.mtimeMs, () => 0);
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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError({ cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
