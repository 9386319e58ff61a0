import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileSink } from '../../../src/core/content/fileSink';
import { WRITE_SEGMENT } from '../../../src/core/content/writeSegments';

/** A real file handle whose writes and syncs are counted. */
function counted(handle: FileHandle) {
  const writes: number[] = [];
  let syncs = 0;
  const spy = new Proxy(handle, {
    get(target, name) {
      if (name === 'writev')
        return (buffers: Uint8Array[], position: number) => {
          writes.push(buffers.reduce((sum, b) => sum + b.length, 0));
          return target.writev(buffers, position);
        };
      if (name === 'sync')
        return () => {
          syncs++;
          return target.sync();
        };
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { spy, writes, syncs: () => syncs };
}

describe('fileSink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-sink-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes what a fast source delivers in order, never more than WRITE_SEGMENT per write, and fsyncs at the end', async () => {
    // A source that delivers faster than the disk takes it: chunks pile up in the sink's buffer while a write runs,
    // which createWriteStream handed the kernel in one writev of up to its whole buffer.
    const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(64 * 1024 + i, i));
    const file = path.join(dir, 'out');
    const handle = await fs.open(file, 'wx');
    const { spy, writes, syncs } = counted(handle);
    try {
      await pipeline(Readable.from(chunks), fileSink(spy, 1024 * 1024));
    } finally {
      await handle.close();
    }
    assert.deepEqual(await fs.readFile(file), Buffer.concat(chunks));
    assert.ok(
      writes.every((n) => n <= WRITE_SEGMENT),
      `writes of ${writes.join(', ')} bytes`,
    );
    assert.ok(
      writes.some((n) => n > 64 * 1024 + 63),
      'chunks buffered meanwhile go together',
    );
    assert.equal(syncs(), 1);
  });

  it('fails the pipeline when a write fails, without an fsync', async () => {
    const file = path.join(dir, 'out');
    const handle = await fs.open(file, 'wx');
    const { spy, syncs } = counted(handle);
    await handle.close(); // every write now fails with EBADF
    await assert.rejects(pipeline(Readable.from([Buffer.alloc(10)]), fileSink(spy, 1024)), /EBADF|closed/);
    assert.equal(syncs(), 0);
  });
});
