import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Hasher, digestOf } from '../../src/core/content/hashing';
import { OciError } from '../../src/core/oci/errors';
import {
  hashingWorkerInUse,
  writeFileHashing,
  writeHashingAt,
  FLUSH_EVERY,
  type HashingFileWriteOptions,
} from '../../src/core/content/hashingFileWrite';
import { HashingThread, MAX_IN_FLIGHT } from '../../src/core/content/hashingThread';
import type { WorkerRequest } from '../../src/core/content/hashingFileProtocol';
import { fileChunks } from '../../src/core/content/fileChunks';

// The worker takes over from 1 MiB here (the default is far larger) so that the tests move little data.
const WORKER_FROM = 1024 * 1024;
const LARGE = WORKER_FROM + 3 * 65536 + 123;
const write = (chunks: AsyncIterable<Buffer>, file: string, hasher: Hasher, options: HashingFileWriteOptions = {}) =>
  writeFileHashing(chunks, file, hasher, { workerFrom: WORKER_FROM, ...options });

/** `bytes` as a network would deliver them: mostly 64 KiB chunks that own their memory, some slices that do not. */
async function* delivered(bytes: Buffer, onChunk?: (index: number) => void | Promise<void>): AsyncGenerator<Buffer> {
  let index = 0;
  for (let at = 0; at < bytes.length; index++) {
    const size = index % 5 === 4 ? 1000 : 65536;
    const slice = bytes.subarray(at, at + size);
    at += slice.length;
    await onChunk?.(index);
    // Every fifth chunk is a view into a larger buffer (must be copied, not detached); the rest own their memory.
    yield index % 5 === 3 ? Buffer.concat([Buffer.alloc(16), slice]).subarray(16) : Buffer.from(slice);
  }
}

describe('writeFileHashing', function () {
  this.timeout(30_000);
  let dir: string;
  let bytes: Buffer;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-hashed-write-'));
    bytes = randomBytes(LARGE);
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const hasherFor = (
    content: Buffer,
    overrides: { expected?: string; expectedSize?: number; onBytes?: (n: number) => void } = {},
  ) => new Hasher({ expected: digestOf(content), expectedSize: content.length, what: 'test blob', ...overrides });

  it('writes a large file through the worker thread: same bytes, digest checked, progress reported', async () => {
    const file = path.join(dir, 'large.bin');
    let progress = 0;
    let sawWorker = false;
    const hasher = hasherFor(bytes, {
      onBytes: (n) => {
        progress += n;
        sawWorker ||= hashingWorkerInUse();
      },
    });
    await write(delivered(bytes), file, hasher);
    assert.ok(sawWorker, 'a large write runs in the worker');
    assert.equal(hashingWorkerInUse(), false);
    assert.equal(hasher.digest, digestOf(bytes));
    assert.equal(progress, bytes.length);
    assert.ok((await fs.readFile(file)).equals(bytes));
    assert.equal((await fs.stat(file)).mode & 0o777, 0o644);
  });

  it('keeps files below the default threshold on this thread (a worker takes longer to start than they take)', async () => {
    const file = path.join(dir, 'medium.bin');
    let sawWorker = false;
    await writeFileHashing(
      delivered(bytes),
      file,
      hasherFor(bytes, {
        onBytes: () => {
          sawWorker ||= hashingWorkerInUse();
        },
      }),
    );
    assert.equal(sawWorker, false);
    assert.ok((await fs.readFile(file)).equals(bytes));
  });

  it('leaves a buffer that other data shares intact (copies it instead of giving its memory away)', async () => {
    const shared = Buffer.concat([Buffer.from('head'), bytes, Buffer.from('tail')]);
    const view = shared.subarray(4, 4 + bytes.length);
    const file = path.join(dir, 'view.bin');
    await write(
      (async function* () {
        yield view;
      })(),
      file,
      hasherFor(bytes),
    );
    assert.equal(shared.length, bytes.length + 8);
    assert.equal(shared.subarray(-4).toString(), 'tail');
    assert.ok((await fs.readFile(file)).equals(bytes));
  });

  for (const size of [LARGE, 5 * 65536 + 7]) {
    const where = size === LARGE ? 'in the worker' : 'on this thread';
    it(`refuses a wrong digest ${where}, leaving no file`, async () => {
      const content = bytes.subarray(0, size);
      const file = path.join(dir, `wrong-${size}.bin`);
      await assert.rejects(
        write(delivered(content), file, hasherFor(content, { expected: digestOf('other') })),
        (e: unknown) => OciError.is(e, 'DIGEST_MISMATCH') && /test blob/.test((e as Error).message),
      );
      assert.equal(existsSync(file), false);
    });

    it(`refuses more bytes than expected ${where}, leaving no file`, async () => {
      const content = bytes.subarray(0, size);
      const file = path.join(dir, `long-${size}.bin`);
      await assert.rejects(
        write(delivered(content), file, hasherFor(content, { expectedSize: size - 1 })),
        /test blob: more than the expected/,
      );
      assert.equal(existsSync(file), false);
    });

    it(`stops when aborted ${where}, leaving no file`, async () => {
      const content = bytes.subarray(0, size);
      const file = path.join(dir, `aborted-${size}.bin`);
      const controller = new AbortController();
      const chunks = delivered(content, (index) => {
        if (index === 3) controller.abort();
      });
      await assert.rejects(
        write(chunks, file, hasherFor(content), { signal: controller.signal }),
        (e: unknown) => OciError.is(e, 'ABORTED') || (e as Error).name === 'AbortError',
      );
      assert.equal(existsSync(file), false);
    });
  }

  for (const workerFrom of [WORKER_FROM, Infinity]) {
    it(`stops on abort while the source stalls (${workerFrom === Infinity ? 'this thread' : 'worker'}), leaving no file`, async () => {
      const file = path.join(dir, `stalled-${workerFrom}.bin`);
      const source = new PassThrough();
      source.write(bytes.subarray(0, 65536));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(
        write(source, file, hasherFor(bytes), { signal: controller.signal, workerFrom }),
        (e: unknown) => OciError.is(e, 'ABORTED') || (e as Error).name === 'AbortError',
      );
      assert.equal(existsSync(file), false);
      assert.equal(hashingWorkerInUse(), false);
    });
  }

  describe('flushing to disk while a synced write goes (the closing sync waits for the last MiB only)', function () {
    // Flushes follow what the thread wrote, which trails what was sent by up to MAX_IN_FLIGHT.
    const big = () => randomBytes(3 * FLUSH_EVERY + MAX_IN_FLIGHT + 12345);
    /** A real handle on `file` whose datasync calls are counted (and made to fail from call `failFrom` on). */
    async function watchedHandle(file: string, failFrom = Infinity) {
      const handle = await fs.open(file, 'wx');
      const calls: number[] = [];
      const datasync = handle.datasync.bind(handle);
      handle.datasync = async () => {
        calls.push(Date.now());
        if (calls.length >= failFrom) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        return datasync();
      };
      return { handle, calls };
    }

    it('starts flushes while the bytes are being written, and writes them all', async () => {
      const content = big();
      const file = path.join(dir, 'flushed.bin');
      const { handle, calls } = await watchedHandle(file);
      try {
        await writeHashingAt(delivered(content), handle, 0, hasherFor(content), {
          workerFrom: WORKER_FROM,
          syncWhileWriting: true,
        });
      } finally {
        await handle.close();
      }
      assert.ok(calls.length >= 1 && calls.length <= 4, `${calls.length} flushes of ${content.length} bytes`);
      assert.ok((await fs.readFile(file)).equals(content));
    });

    it('reports a flush that failed (an fsync error is told once: it must not be lost)', async () => {
      const content = big();
      const file = path.join(dir, 'flush-failed.bin');
      const { handle, calls } = await watchedHandle(file, 1);
      try {
        await assert.rejects(
          writeHashingAt(delivered(content), handle, 0, hasherFor(content), {
            workerFrom: WORKER_FROM,
            syncWhileWriting: true,
          }),
          (e: unknown) => (e as NodeJS.ErrnoException).code === 'EIO',
        );
      } finally {
        await handle.close();
      }
      assert.equal(calls.length, 1);
    });
  });

  it('never touches a file that already exists', async () => {
    const file = path.join(dir, 'existing.bin');
    await fs.writeFile(file, 'mine');
    await assert.rejects(
      write(delivered(bytes), file, hasherFor(bytes)),
      (e: unknown) => (e as NodeJS.ErrnoException).code === 'EEXIST',
    );
    assert.equal(await fs.readFile(file, 'utf8'), 'mine');
  });

  it('serves several large writes at once from one thread within one memory budget, each file its own bytes', async () => {
    const contents = [bytes, randomBytes(LARGE), randomBytes(LARGE + 99)];
    const files = contents.map((_, i) => path.join(dir, `parallel-${i}.bin`));
    let mostFiles = 0;
    let mostInFlight = 0;
    // Each write waits at its third chunk until all three are with the thread, so they overlap for sure.
    let arrived = 0;
    let allArrived: () => void = () => undefined;
    const together = new Promise<void>((resolve) => (allArrived = resolve));
    const watch = async (index: number) => {
      mostFiles = Math.max(mostFiles, HashingThread.openFiles());
      mostInFlight = Math.max(mostInFlight, HashingThread.bytesInFlight());
      if (index !== 2) return;
      if (++arrived === contents.length) allArrived();
      await together;
    };
    await Promise.all(contents.map((content, i) => write(delivered(content, watch), files[i]!, hasherFor(content))));
    assert.equal(mostFiles, 3, 'all three files were with the one thread at the same time');
    // One batch (1 MiB plus a chunk) per file may always go, beyond that the shared budget holds.
    assert.ok(mostInFlight <= MAX_IN_FLIGHT + 3 * (1024 * 1024 + 65536), `${mostInFlight} bytes in flight`);
    for (const [i, content] of contents.entries()) assert.ok((await fs.readFile(files[i]!)).equals(content));
    assert.equal(hashingWorkerInUse(), false);
  });

  it('fails one of several parallel writes alone: the others finish, the failed one leaves no file', async () => {
    const other = randomBytes(LARGE);
    const controller = new AbortController();
    const [good, wrong, aborted] = ['good', 'wrong', 'aborted'].map((name) => path.join(dir, `mixed-${name}.bin`));
    const results = await Promise.allSettled([
      write(delivered(bytes), good!, hasherFor(bytes)),
      write(delivered(other), wrong!, hasherFor(other, { expected: digestOf('not this') })),
      write(
        delivered(other, (index) => {
          if (index === 6) controller.abort();
        }),
        aborted!,
        hasherFor(other),
        { signal: controller.signal },
      ),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.ok(results[1].status === 'rejected' && OciError.is(results[1].reason, 'DIGEST_MISMATCH'));
    assert.equal(results[2].status, 'rejected');
    assert.ok((await fs.readFile(good!)).equals(bytes));
    assert.equal(existsSync(wrong!), false);
    assert.equal(existsSync(aborted!), false);
  });

  for (const workerFrom of [WORKER_FROM, Infinity]) {
    const where = workerFrom === Infinity ? 'on this thread' : 'in the worker';
    it(`writes at a position of an open file ${where}, leaving the bytes before it alone`, async () => {
      const file = path.join(dir, `at-${workerFrom}.bin`);
      await fs.writeFile(file, 'HEADER--');
      const handle = await fs.open(file, 'r+');
      try {
        await writeHashingAt(delivered(bytes), handle, 8, hasherFor(bytes), { workerFrom });
      } finally {
        await handle.close();
      }
      const written = await fs.readFile(file);
      assert.equal(written.subarray(0, 8).toString(), 'HEADER--');
      assert.ok(written.subarray(8).equals(bytes));
    });

    it(`copies chunks whose memory the source reuses ${where} (a file read through two buffers)`, async () => {
      const source = path.join(dir, `source-${workerFrom}.bin`);
      const file = path.join(dir, `from-file-${workerFrom}.bin`);
      const content = bytes.subarray(0, LARGE - 777);
      await fs.writeFile(source, content);
      await write(fileChunks(source, { size: content.length }), file, hasherFor(content), {
        workerFrom,
        reusedChunks: true,
      });
      assert.ok((await fs.readFile(file)).equals(content));
    });
  }

  it('writes the same bytes when asked to sync them to disk, on either thread', async () => {
    for (const workerFrom of [WORKER_FROM, Infinity]) {
      const file = path.join(dir, `synced-${workerFrom}.bin`);
      await write(delivered(bytes), file, hasherFor(bytes), { sync: true, workerFrom });
      assert.ok((await fs.readFile(file)).equals(bytes));
    }
  });

  it('reports a write that fails in the worker (file size limit) and leaves no file', async () => {
    // A real write failure: the child process may not write files beyond 1 MiB (EFBIG; Node ignores SIGXFSZ).
    const script = `
      const { writeFileHashing } = require(${JSON.stringify(require.resolve('../../src/core/content/hashingFileWrite'))});
      const { Hasher, digestOf } = require(${JSON.stringify(require.resolve('../../src/core/content/hashing'))});
      const { existsSync } = require('node:fs');
      const bytes = Buffer.alloc(${LARGE}, 7);
      const file = process.argv[1];
      async function* chunks() { for (let at = 0; at < bytes.length; at += 65536) yield Buffer.from(bytes.subarray(at, at + 65536)); }
      writeFileHashing(chunks(), file, new Hasher({ expected: digestOf(bytes), expectedSize: bytes.length }), { workerFrom: ${WORKER_FROM} })
        .then(() => console.log('written'), (e) => console.log(e.code, existsSync(file) ? 'file left' : 'no file'));`;
    const { stdout } = await promisify(execFile)('prlimit', [
      '--fsize=1048576',
      process.execPath,
      '-e',
      script,
      path.join(dir, 'limited.bin'),
    ]);
    assert.equal(stdout.trim(), 'EFBIG no file');
  });
});

describe('the hashing thread after an abort while it ends a file', function () {
  this.timeout(30_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-hashing-close-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes nothing to the descriptor once close() has resolved (a reused fd number would get the bytes)', async () => {
    const first = await fs.open(path.join(dir, 'aborted.bin'), 'wx');
    const aborted = new AbortController();
    const channel = HashingThread.open(first.fd, 0, 'sha256', aborted.signal);
    // Many batches queued for writing, then the end asked for as the pull is aborted: the thread has them still to
    // write when the close comes.
    for (let i = 0; i < 32; i++) channel.send([new ArrayBuffer(1024 * 1024)], 1024 * 1024);
    aborted.abort();
    await assert.rejects(channel.end(), { name: 'AbortedError' });
    await channel.close();
    HashingThread.release(channel);
    const fd = first.fd;
    await first.close();
    // The next file opened gets the same descriptor number; the aborted file's bytes must not land in it.
    const second = await fs.open(path.join(dir, 'other.bin'), 'wx');
    try {
      assert.equal(second.fd, fd, 'the descriptor number is reused (else this test proves nothing)');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await second.stat()).size, 0);
    } finally {
      await second.close();
    }
  });

  it('close() after the thread failed resolves only once the thread has exited (a write may still be under way)', async () => {
    const file = await fs.open(path.join(dir, 'crashed.bin'), 'wx');
    try {
      const channel = HashingThread.open(file.fd, 0, 'sha256');
      channel.send([new ArrayBuffer(8 * 1024 * 1024)], 8 * 1024 * 1024);
      let exited = false;
      void channel.thread.exited.then(() => (exited = true));
      // A message the thread cannot read kills it, as any bug in it would.
      channel.thread.post({ id: channel.id, buffers: undefined } as unknown as WorkerRequest);
      await channel.close();
      assert.equal(exited, true, 'close() resolved while the failed thread was still running');
      HashingThread.release(channel);
    } finally {
      await file.close();
    }
  });
});
