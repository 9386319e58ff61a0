import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OciError } from '../../../src/core/oci/errors';
import { acquireFileLock, createLockFile, withFileLock } from '../../../src/core/layout/fileLock';

function deadPid(): number {
  // A process that has exited: its PID is (for the length of this test) not running.
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('fileLock', () => {
  let dir: string;
  let lock: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-lock-'));
    lock = path.join(dir, 'index.json.lock');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serialises work and removes the lock file afterwards', async () => {
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withFileLock(lock, async () => {
          order.push(`${name}+`);
          await new Promise((r) => setTimeout(r, 20));
          order.push(`${name}-`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2)
      assert.equal(order[i]!.slice(0, 1), order[i + 1]!.slice(0, 1), order.join(' '));
    await assert.rejects(fs.stat(lock), /ENOENT/);
  });

  it('breaks a lock left by a process that no longer runs', async () => {
    await fs.writeFile(
      lock,
      JSON.stringify({ pid: deadPid(), host: os.hostname(), nonce: 'x', since: new Date().toISOString() }),
    );
    assert.equal(await withFileLock(lock, async () => 'got it', { timeoutMs: 2000 }), 'got it');
  });

  it('breaks a lock that was not refreshed for longer than staleMs', async () => {
    await fs.writeFile(lock, JSON.stringify({ pid: 1, host: 'another-host', nonce: 'x', since: 'long ago' }));
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    assert.equal(await withFileLock(lock, async () => 'got it', { staleMs: 30_000, timeoutMs: 2000 }), 'got it');
  });

  it('breaks a lock whose mtime lies beyond staleMs in the future (a clock set back, a copied file) instead of waiting for the timeout', async () => {
    await fs.writeFile(lock, JSON.stringify({ pid: 1, host: 'another-host', nonce: 'x', since: 'tomorrow' }));
    const future = new Date(Date.now() + 24 * 3600_000);
    await fs.utimes(lock, future, future);
    const started = Date.now();
    assert.equal(await withFileLock(lock, async () => 'got it', { staleMs: 30_000, timeoutMs: 2000 }), 'got it');
    assert.ok(Date.now() - started < 1000, 'taken at once, not after the timeout');
  });

  it('keeps a lock whose mtime is only slightly ahead (clock skew between hosts within staleMs)', async () => {
    await fs.writeFile(lock, JSON.stringify({ pid: 1, host: 'another-host', nonce: 'x', since: 'now' }));
    const ahead = new Date(Date.now() + 5_000);
    await fs.utimes(lock, ahead, ahead);
    await assert.rejects(
      withFileLock(lock, async () => undefined, { staleMs: 30_000, timeoutMs: 200 }),
      (e: unknown) => OciError.is(e, 'LAYOUT') && /timed out/.test(e.message),
    );
  });

  it('replaces a lock path that is a symbolic link (to /dev/zero) at once, without reading through it', async () => {
    await fs.symlink('/dev/zero', lock);
    const rssBefore = process.memoryUsage().rss;
    assert.equal(await withFileLock(lock, async () => 'got it', { timeoutMs: 2000 }), 'got it');
    assert.ok(process.memoryUsage().rss - rssBefore < 32 * 1024 * 1024);
    await assert.rejects(fs.lstat(lock), /ENOENT/, 'released: neither the link nor a lock is left');
  });

  it('waits for a live holder and times out naming it', async () => {
    const release = await acquireFileLock(lock);
    try {
      await assert.rejects(
        withFileLock(lock, async () => undefined, { timeoutMs: 200, what: 'on index.json of oci:/x' }),
        (e: unknown) =>
          OciError.is(e, 'LAYOUT') &&
          e.message.includes('on index.json of oci:/x') &&
          e.message.includes(`held by process ${process.pid}`),
      );
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(
        withFileLock(lock, async () => undefined, { signal: controller.signal }),
        (e: unknown) => OciError.is(e, 'ABORTED'),
      );
    } finally {
      await release();
    }
  });

  it('a lock whose write failed late removes only its own file, not the lock another process made after breaking it as stale', async () => {
    const theirs = JSON.stringify({ pid: process.pid, host: os.hostname(), nonce: 'theirs', since: 'now' });
    // The fault: our write of the owner record hangs past staleMs, another process breaks the empty lock and takes
    // it, then our write fails (a full disk).
    const lateFailure = async () => {
      await fs.rm(lock);
      await fs.writeFile(lock, theirs, { flag: 'wx' });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    await assert.rejects(createLockFile(lock, 'ours', lateFailure), /ENOSPC/);
    assert.equal(await fs.readFile(lock, 'utf8'), theirs);
    // Its own file, still there when the write fails, is removed (an empty lock would hold every writer off).
    await fs.rm(lock);
    const failing = () => Promise.reject(Object.assign(new Error('ENOSPC: write'), { code: 'ENOSPC' }));
    await assert.rejects(createLockFile(lock, 'ours', failing), /ENOSPC/);
    await assert.rejects(fs.lstat(lock), { code: 'ENOENT' });
  });
});
