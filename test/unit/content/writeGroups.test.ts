import * as assert from 'node:assert/strict';
import type { FileHandle } from 'node:fs/promises';
import { writeAllAt } from '../../../src/core/content/writeAllAt';
import { WRITE_SEGMENT, writeGroups, writeSteps } from '../../../src/core/content/writeSegments';

const KiB = 1024;
const bytesOf = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff));
const total = (group: readonly Uint8Array[]) => group.reduce((sum, b) => sum + b.length, 0);

/** A file in memory that records every write it is given, taking at most `takes` bytes of each when told. */
function recordingFile(takes?: (call: number) => number) {
  const content: number[] = [];
  const calls: number[] = [];
  const put = (bytes: Uint8Array, at: number) => bytes.forEach((b, i) => (content[at + i] = b));
  const handle = {
    async writev(buffers: Uint8Array[], position: number) {
      const length = total(buffers);
      const limit = Math.min(length, takes?.(calls.length) ?? length);
      calls.push(length);
      let at = position;
      let left = limit;
      for (const buffer of buffers) {
        const part = buffer.subarray(0, Math.min(buffer.length, left));
        put(part, at);
        at += part.length;
        left -= part.length;
      }
      return { bytesWritten: limit, buffers };
    },
    async write(buffer: Uint8Array, offset: number, length: number, position: number) {
      calls.push(length);
      put(buffer.subarray(offset, offset + length), position);
      return { bytesWritten: length, buffer };
    },
  };
  return { handle: handle as unknown as FileHandle, content, calls };
}

describe('writeGroups: what one write hands the kernel', () => {
  it('cuts a long buffer into pieces of at most WRITE_SEGMENT, in order, as views', () => {
    const long = bytesOf(1300 * KiB, 1);
    const groups = writeGroups([long]);
    assert.deepEqual(
      groups.map((g) => total(g)),
      [256 * KiB, 256 * KiB, 256 * KiB, 256 * KiB, 256 * KiB, 20 * KiB],
    );
    assert.deepEqual(Buffer.concat(groups.flat()), long);
    assert.equal(groups[0]![0]!.buffer, long.buffer, 'views, not copies');
  });

  it('puts small buffers together up to WRITE_SEGMENT, splitting the one that crosses the line', () => {
    const chunks = Array.from({ length: 20 }, (_, i) => bytesOf(64 * KiB + i, i));
    const groups = writeGroups(chunks);
    for (const group of groups) assert.ok(total(group) <= WRITE_SEGMENT);
    assert.deepEqual(
      groups.slice(0, -1).map((g) => total(g)),
      groups.slice(0, -1).map(() => WRITE_SEGMENT),
    );
    assert.deepEqual(Buffer.concat(groups.flat()), Buffer.concat(chunks));
  });

  it('gives nothing for nothing, and one group for a small batch', () => {
    assert.deepEqual(writeGroups([]), []);
    const small = [bytesOf(10, 0), bytesOf(20, 1)];
    assert.deepEqual(writeGroups(small), [small]);
  });
});

describe('writeAllAt', () => {
  it('never hands one write more than WRITE_SEGMENT, and puts every byte where it belongs', async () => {
    const file = recordingFile();
    const bytes = bytesOf(2 * 1024 * KiB + 5, 3);
    await writeAllAt(file.handle, [bytes.subarray(0, 100), bytes.subarray(100)], 4096);
    assert.ok(
      file.calls.every((n) => n <= WRITE_SEGMENT),
      `writes of ${file.calls.join(', ')} bytes`,
    );
    assert.deepEqual(Buffer.from(file.content.slice(4096)), bytes);
  });

  it('writes again what a short write left over, in every group', async () => {
    const file = recordingFile((call) => (call % 2 === 0 ? 1000 : Infinity));
    const bytes = bytesOf(1200 * KiB, 5);
    await writeAllAt(file.handle, [bytes], 0);
    assert.deepEqual(Buffer.from(file.content), bytes);
  });

  it('fails (EIO) when a write takes none of what it was given, instead of writing the rest again for ever', async () => {
    // What a failing network or FUSE file system may answer rather than an error; ENOSPC and EINTR are errors or
    // short writes, which go again above.
    const nothing = { writev: async () => ({ bytesWritten: 0 }), write: async () => ({ bytesWritten: 0 }) };
    await assert.rejects(writeAllAt(nothing as unknown as FileHandle, [bytesOf(300 * KiB, 1)], 0), (err: unknown) => {
      assert.equal((err as NodeJS.ErrnoException).code, 'EIO');
      assert.match((err as Error).message, /took none of 262144 bytes/);
      return true;
    });
  });
});

describe('writeSteps driven synchronously (the hashing worker)', () => {
  it('puts every byte at its place when each write takes at most 100 KiB, and asks no write over WRITE_SEGMENT', () => {
    const bytes = bytesOf(700 * KiB + 3, 9);
    const content = Buffer.alloc(bytes.length + 10);
    const asked: number[] = [];
    const steps = writeSteps([bytes.subarray(0, 7), bytes.subarray(7)], 10);
    for (let step = steps.next(); !step.done;) {
      const { views, position } = step.value;
      const offered = Buffer.concat(views);
      asked.push(offered.length);
      const taken = Math.min(offered.length, 100 * KiB);
      offered.copy(content, position, 0, taken);
      step = steps.next(taken);
    }
    assert.deepEqual(content.subarray(10), bytes);
    assert.ok(
      asked.every((n) => n <= WRITE_SEGMENT),
      `writes of ${asked.join(', ')} bytes`,
    );
  });
});
