// A blob stored from a local file or a byte range of one (a blob inside a layout archive) through the ring of
// reused buffers: exactly those bytes, hashed once on the way, and nothing left behind when they are not the blob.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyFileToTemp, Hasher, digestOf } from '../../../src/core/content';
import { COPY_CHUNK } from '../../../src/core/content/pipelinedCopy';
import { OciError } from '../../../src/core/oci';

describe('copyFileToTemp (a blob from a local file or a range of one, hashed once)', () => {
  let dir: string;
  let file: string;
  let bytes: Buffer;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-file-copy-'));
    file = path.join(dir, 'data.bin');
    // Six chunks and a bit: more chunks than the ring holds, so buffers are refilled while others are written.
    bytes = randomBytes(6 * COPY_CHUNK + 4321);
    await fs.writeFile(file, bytes);
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const hasherFor = (content: Buffer) =>
    new Hasher({ expected: digestOf(content), expectedSize: content.length, what: 'blob X' });

  async function tempFiles(): Promise<string[]> {
    return (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp'));
  }

  it('copies a whole file, and a range from the middle of a larger one, byte for byte', async () => {
    const whole = await copyFileToTemp({ path: file }, dir, hasherFor(bytes));
    assert.ok((await fs.readFile(whole)).equals(bytes));
    await fs.rm(whole);

    const range = { offset: 777, size: 5 * COPY_CHUNK + 99 };
    const part = bytes.subarray(range.offset, range.offset + range.size);
    const copied = await copyFileToTemp({ path: file, range }, dir, hasherFor(part));
    assert.ok((await fs.readFile(copied)).equals(part));
    await fs.rm(copied);
  });

  it('refuses a whole file longer or shorter than the blob, or with other bytes, and leaves no temp file', async () => {
    const shorter = bytes.subarray(0, bytes.length - 1);
    await assert.rejects(copyFileToTemp({ path: file }, dir, hasherFor(shorter)), (err: unknown) => {
      assert.ok(OciError.is(err, 'INVALID_CONTENT'), String(err));
      assert.match((err as Error).message, /blob X: more than the expected/);
      return true;
    });
    const longer = Buffer.concat([bytes, Buffer.from('!')]);
    await assert.rejects(copyFileToTemp({ path: file }, dir, hasherFor(longer)), /blob X: size mismatch/);
    const other = Buffer.from(bytes);
    other[3 * COPY_CHUNK] ^= 0xff;
    await assert.rejects(copyFileToTemp({ path: file }, dir, hasherFor(other)), (err: unknown) =>
      OciError.is(err, 'DIGEST_MISMATCH'),
    );
    // A range that runs past the end of the file (an archive cut short): the archive's fault, named as its blob.
    const range = { offset: bytes.length - 10, size: 20, what: 'oci-archive:/x.tar: blob Y' };
    await assert.rejects(copyFileToTemp({ path: file, range }, dir, hasherFor(randomBytes(20))), (err: unknown) => {
      assert.ok(OciError.is(err, 'LAYOUT'), String(err));
      assert.match((err as Error).message, /^oci-archive:\/x\.tar: blob Y: the file ended after 10 of 20 bytes/);
      return true;
    });
    assert.deepEqual(await tempFiles(), []);
  });

  it('reads a checked file only as the file that was checked', async () => {
    const checked = await fs.lstat(file);
    const other = path.join(dir, 'other.bin');
    await fs.writeFile(other, bytes);
    await assert.rejects(
      copyFileToTemp({ path: other, checked }, dir, hasherFor(bytes)),
      /was replaced by another file between its check and its opening/,
    );
    assert.deepEqual(await tempFiles(), []);
  });

  it('stops when aborted, leaving no temp file', async () => {
    const controller = new AbortController();
    const hasher = new Hasher({
      expected: digestOf(bytes),
      expectedSize: bytes.length,
      onBytes: () => controller.abort(),
    });
    await assert.rejects(copyFileToTemp({ path: file }, dir, hasher, controller.signal), (err: unknown) =>
      OciError.is(err, 'ABORTED'),
    );
    assert.deepEqual(await tempFiles(), []);
  });
});
