import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Hasher, digestOf } from '../../src/core/content/hashing';
import { OciError } from '../../src/core/oci/errors';
import { FILE_CHUNK, fileChunks, hashingChunks } from '../../src/core/content/fileChunks';
import { openHashing } from '../../src/core/content/hashingStages';
import { fileBlobContent } from '../../src/core/content/target';

describe('fileChunks', () => {
  let dir: string;
  let file: string;
  let bytes: Buffer;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-chunks-'));
    file = path.join(dir, 'data.bin');
    bytes = randomBytes(3 * FILE_CHUNK + 17);
    await fs.writeFile(file, bytes);
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('yields the whole file in 1 MiB chunks that alternate between two buffers', async () => {
    const copies: Buffer[] = [];
    const backing = new Set<ArrayBufferLike>();
    for await (const chunk of fileChunks(file)) {
      copies.push(Buffer.from(chunk));
      backing.add(chunk.buffer);
    }
    assert.deepEqual(
      copies.map((c) => c.length),
      [FILE_CHUNK, FILE_CHUNK, FILE_CHUNK, 17],
    );
    assert.ok(Buffer.concat(copies).equals(bytes));
    assert.equal(backing.size, 2, 'two reused buffers, not one per read');
  });

  it('starts at an offset and sizes its buffers to a small file', async () => {
    const parts: Buffer[] = [];
    for await (const chunk of fileChunks(file, { start: 3 * FILE_CHUNK, size: bytes.length }))
      parts.push(Buffer.from(chunk));
    assert.ok(Buffer.concat(parts).equals(bytes.subarray(3 * FILE_CHUNK)));
    const small = path.join(dir, 'small.txt');
    await fs.writeFile(small, 'tiny');
    const chunks: Buffer[] = [];
    for await (const chunk of fileChunks(small, { size: 4 })) chunks.push(chunk);
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]!.buffer.byteLength, 4);
  });

  it('reads only a range of the file when given its length (a blob inside a layout archive)', async () => {
    const parts: Buffer[] = [];
    for await (const chunk of fileChunks(file, { start: 5, length: FILE_CHUNK + 3 })) parts.push(Buffer.from(chunk));
    assert.deepEqual(
      parts.map((p) => p.length),
      [FILE_CHUNK, 3],
    );
    assert.ok(Buffer.concat(parts).equals(bytes.subarray(5, 5 + FILE_CHUNK + 3)));
  });

  it('fails a range the file ends before, naming the range (an archive cut short), instead of ending early', async () => {
    const chunks = fileChunks(file, { start: bytes.length - 10, length: 20, what: 'oci-archive:/x.tar: blob Y' });
    await assert.rejects(
      (async () => {
        for await (const chunk of chunks) void chunk;
      })(),
      (err: unknown) => {
        assert.ok(OciError.is(err, 'LAYOUT'), String(err));
        assert.match((err as Error).message, /^oci-archive:\/x\.tar: blob Y: the file ended after 10 of 20 bytes/);
        return true;
      },
    );
  });

  it('an upload of a range holding other bytes than its blob names the range in the digest mismatch, not the receiver', async () => {
    const range = { offset: 5, size: 100, what: 'oci-archive:/x.tar: blob Y' };
    const content = fileBlobContent(
      file,
      () => Promise.reject(new Error('the file is read, not streamed')),
      undefined,
      range,
    );
    const hasher = new Hasher({
      expected: digestOf(Buffer.from('other bytes')),
      expectedSize: 100,
      what: 'blob Y in registry.example/app',
    });
    const chunks = (await openHashing(content, hasher)) as AsyncGenerator<Buffer>;
    await assert.rejects(
      (async () => {
        for await (const chunk of chunks) void chunk;
      })(),
      (err: unknown) => {
        assert.ok(OciError.is(err, 'DIGEST_MISMATCH'), String(err));
        assert.match((err as Error).message, /^oci-archive:\/x\.tar: blob Y: digest mismatch/);
        return true;
      },
    );
  });

  it('checks the digest after the last chunk, and the size as chunks pass', async () => {
    const good = new Hasher({ expected: digestOf(bytes), expectedSize: bytes.length });
    for await (const chunk of hashingChunks(fileChunks(file), good)) void chunk;
    assert.equal(good.digest, digestOf(bytes));

    const wrong = new Hasher({ expected: digestOf('other'), expectedSize: bytes.length, what: 'blob X' });
    await assert.rejects(async () => {
      for await (const chunk of hashingChunks(fileChunks(file), wrong)) void chunk;
    }, /blob X/);
    const short = new Hasher({ expectedSize: FILE_CHUNK, what: 'blob Y' });
    await assert.rejects(
      async () => {
        for await (const chunk of hashingChunks(fileChunks(file), short)) void chunk;
      },
      (e: unknown) => OciError.is(e, 'INVALID_CONTENT') && /blob Y: more than the expected/.test((e as Error).message),
    );
  });

  it('stops at an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      async () => {
        for await (const chunk of fileChunks(file, { signal: controller.signal })) void chunk;
      },
      (e: Error) => e.name === 'AbortError' || OciError.is(e, 'ABORTED'),
    );
  });

  it('has the digest once the expected size has passed, for a consumer that never asks for the end (an HTTP body)', async () => {
    const hasher = new Hasher({ expectedSize: bytes.length });
    const chunks = hashingChunks(fileChunks(file, { size: bytes.length }), hasher);
    let taken = 0;
    while (taken < bytes.length) taken += (await chunks.next()).value!.length;
    assert.equal(hasher.digest, digestOf(bytes));
    await chunks.return(undefined);
  });
});
