// Layout archives written in one pass and read with one hash: blobs already in a local layout are named, not
// staged, and copied into the tar at finish, verified on the way; a read is verified once (the archive checks, the
// layout only counts); one writer at a time.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copy } from '../../../src/core/graph';
import { ArchiveTarget, LayoutTarget, stagingFolderOf } from '../../../src/core/layout';
import { LOCAL_BLOBS_FILE } from '../../../src/core/layout/archiveLocalBlobs';
import { acquireFileLock } from '../../../src/core/layout/fileLock';
import { MemoryTarget } from '../../../src/core/memory';
import { OciError } from '../../../src/core/oci';
import type { Target } from '../../../src/core/content';
import { pushArtifact, type PushedArtifact } from '../../helpers/sampleArtifact';

/** Two tags: one large layer (more than a chunk: the pipelined copy) and one small (gathered with the headers). */
async function seed(target: Target, large: Buffer): Promise<{ big: PushedArtifact; small: PushedArtifact }> {
  const big = await pushArtifact(target, large, { tag: 'big', title: 'big.bin' });
  const small = await pushArtifact(target, 'a small layer', { tag: 'small' });
  return { big, small };
}

async function tempFilesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

describe('layout archives in one pass (local blobs named, verified at finish; reads verified once)', function () {
  this.timeout(30_000); // several archives of a few MiB each, on a shared machine
  let dir: string;
  const large = randomBytes(5 * 1024 * 1024 + 123);
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-archive-pass-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('names a layout’s blob files instead of staging them; the archive has the same bytes as one written through staging', async () => {
    const layout = await LayoutTarget.open(path.join(dir, 'layout'), { create: true });
    const { big } = await seed(layout, large);
    const memory = new MemoryTarget();
    await seed(memory, large);

    const write = async (name: string, src: Target) => {
      const file = path.join(dir, name);
      const archive = await ArchiveTarget.open(file, { create: true });
      for (const tag of ['small', 'big']) await copy(src, tag, archive, { tag });
      return { archive, file };
    };
    const fromLayout = await write('a.tar', layout);
    const staging = stagingFolderOf(fromLayout.file);
    await assert.rejects(
      fs.stat(path.join(staging, 'blobs', 'sha256', big.layer.digest.slice(7))),
      'the layer was copied into staging',
    );
    const named = await fs.readFile(path.join(staging, LOCAL_BLOBS_FILE), 'utf8');
    assert.ok(named.includes(layout.blobPath(big.layer.digest)), named);
    await fromLayout.archive.finish();

    const again = await write('b.tar', layout);
    await again.archive.finish();
    const staged = await write('c.tar', memory);
    await staged.archive.finish();
    const bytes = await fs.readFile(fromLayout.file);
    assert.ok(bytes.equals(await fs.readFile(again.file)), 'two writes of the same content differ');
    assert.ok(bytes.equals(await fs.readFile(staged.file)), 'named and staged blobs give different archives');
  });

  it('a source file changed before finish fails the write, naming the blob and the file; no temp file, old archive and staging kept', async () => {
    const layout = await LayoutTarget.open(path.join(dir, 'layout'), { create: true });
    const { big, small } = await seed(layout, large);
    const file = path.join(dir, 'x.tar');
    const first = await ArchiveTarget.open(file, { create: true });
    await copy(layout, 'small', first, { tag: 'small' });
    await first.finish();
    const before = await fs.readFile(file);

    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(layout, 'big', archive, { tag: 'big' });
    const blobFile = layout.blobPath(big.layer.digest);
    const tampered = Buffer.from(large);
    tampered[large.length - 1] ^= 0xff; // same size, other bytes: only the digest can tell
    await fs.writeFile(blobFile, tampered);
    await assert.rejects(archive.finish(), (err: unknown) => {
      assert.ok(OciError.is(err, 'DIGEST_MISMATCH'), String(err));
      assert.ok(err.message.includes(big.layer.digest) && err.message.includes(blobFile), err.message);
      return true;
    });
    assert.ok((await fs.readFile(file)).equals(before), 'the old archive changed');
    assert.deepEqual(await tempFilesIn(dir), [], 'a temp file was left beside the archive');
    await fs.stat(stagingFolderOf(file)); // kept for a rerun

    await fs.truncate(blobFile, 1000); // shorter: refused before a byte is copied
    await assert.rejects(archive.finish(), (err: unknown) => {
      assert.ok(OciError.is(err, 'INVALID_CONTENT'), String(err));
      assert.match(err.message, /expected \d+ bytes, the file holds 1000/);
      return true;
    });
    assert.deepEqual(await tempFilesIn(dir), []);
    await archive.release();

    // Fixed source: the rerun finishes the archive with both tags.
    await fs.writeFile(blobFile, large);
    const rerun = await ArchiveTarget.open(file, { create: true });
    await rerun.finish();
    const reread = await ArchiveTarget.open(file);
    assert.equal((await reread.resolve('big')).digest, big.manifest.digest);
    assert.equal((await reread.resolve('small')).digest, small.manifest.digest);
    assert.equal(await reread.computeDigest(big.layer.digest), big.layer.digest);
  });

  it('a rerun after a failed run still finds the blob files the failed run named (staging is whole)', async () => {
    const layout = await LayoutTarget.open(path.join(dir, 'layout'), { create: true });
    const { big } = await seed(layout, large);
    const file = path.join(dir, 'resume.tar');
    const failed = await ArchiveTarget.open(file, { create: true });
    await copy(layout, 'big', failed, { tag: 'big' });
    await failed.release(); // never finished

    const rerun = await ArchiveTarget.open(file, { create: true });
    assert.equal(await rerun.exists(big.layer), true, 'the named blob counts as present');
    await rerun.finish();
    const reread = await ArchiveTarget.open(file);
    assert.equal((await reread.resolve('big')).digest, big.manifest.digest);
    assert.equal(await reread.computeDigest(big.layer.digest), big.layer.digest);
  });

  it('a read into a layout is verified as it streams, and a tampered blob stores nothing in the layout', async () => {
    const memory = new MemoryTarget();
    const { big } = await seed(memory, large);
    const file = path.join(dir, 'x.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(memory, 'big', archive, { tag: 'big' });
    await archive.finish();

    const into = await LayoutTarget.open(path.join(dir, 'good'), { create: true });
    await copy(await ArchiveTarget.open(file), 'big', into, { tag: 'big' });
    assert.ok((await fs.readFile(into.blobPath(big.layer.digest))).equals(large));

    const bytes = await fs.readFile(file);
    const at = bytes.indexOf(large.subarray(0, 64));
    bytes[at + 1000] ^= 0xff;
    await fs.writeFile(file, bytes);
    const out = await LayoutTarget.open(path.join(dir, 'bad'), { create: true });
    await assert.rejects(copy(await ArchiveTarget.open(file), 'big', out, { tag: 'big' }), (err: unknown) =>
      OciError.is(err, 'DIGEST_MISMATCH'),
    );
    await assert.rejects(fs.stat(out.blobPath(big.layer.digest)), 'the tampered blob was stored');
    assert.deepEqual(await tempFilesIn(path.join(dir, 'bad', 'blobs')), [], 'a temp file was left in the layout');
  });

  it('a read into a layout takes a blob as its byte range of the archive (read through reused buffers, hashed once), not as a stream', async () => {
    const memory = new MemoryTarget();
    const { big } = await seed(memory, large);
    const file = path.join(dir, 'x.tar');
    const written = await ArchiveTarget.open(file, { create: true });
    await copy(memory, 'big', written, { tag: 'big' });
    await written.finish();

    const archive = await ArchiveTarget.open(file);
    const blob = await archive.blobFile(big.layer);
    assert.equal(blob?.path, file);
    const { offset, size } = blob!.range!;
    assert.ok((await fs.readFile(file)).subarray(offset, offset + size).equals(large));
    const streamed: string[] = [];
    const fetchBlob = archive.fetchBlob.bind(archive);
    archive.fetchBlob = (descriptor, options) => {
      streamed.push(descriptor.digest);
      return fetchBlob(descriptor, options);
    };
    const into = await LayoutTarget.open(path.join(dir, 'into'), { create: true });
    await copy(archive, 'big', into, { tag: 'big' });
    assert.deepEqual(streamed, [], 'a blob was streamed through fetchBlob');
    assert.ok((await fs.readFile(into.blobPath(big.layer.digest))).equals(large));
  });

  it('a blob read as its range of a hostile or changing archive: the error names the archive’s blob, no temp file is left, a link swapped in is not read', async () => {
    const memory = new MemoryTarget();
    const { big } = await seed(memory, large);
    const file = path.join(dir, 'x.tar');
    const written = await ArchiveTarget.open(file, { create: true });
    await copy(memory, 'big', written, { tag: 'big' });
    await written.finish();
    const { offset } = (await (await ArchiveTarget.open(file)).blobFile(big.layer))!.range!;
    const named = `oci-archive:${file}: blob ${big.layer.digest}`;
    const copyInto = async (name: string, change?: () => Promise<void>) => {
      const archive = await ArchiveTarget.open(file);
      const blobFile = archive.blobFile.bind(archive);
      // The change lands after the archive was indexed and its manifests read: while its layer is being copied.
      archive.blobFile = async (descriptor) => {
        const found = await blobFile(descriptor);
        if (descriptor.digest === big.layer.digest) await change?.();
        return found;
      };
      const into = await LayoutTarget.open(path.join(dir, name), { create: true });
      try {
        await copy(archive, 'big', into, { tag: 'big' });
      } finally {
        assert.deepEqual(await tempFilesIn(path.join(dir, name, 'blobs')), [], 'a temp file was left in the layout');
      }
    };

    // An archive whose layer entry holds other bytes than its name says (one byte changed in place).
    const bytes = await fs.readFile(file);
    const other = Buffer.from(bytes);
    other[offset + 3 * 1024 * 1024]! ^= 0xff;
    await fs.writeFile(file, other);
    await assert.rejects(copyInto('hostile'), (err: unknown) => {
      assert.ok(OciError.is(err, 'DIGEST_MISMATCH'), String(err));
      assert.ok((err as Error).message.startsWith(`${named}: digest mismatch`), (err as Error).message);
      return true;
    });
    await fs.writeFile(file, bytes);

    // The archive cut short in the middle of the layer.
    await assert.rejects(
      copyInto('cut', () => fs.truncate(file, offset + 1000)),
      (err: unknown) => {
        assert.ok(OciError.is(err, 'LAYOUT'), String(err));
        // The layer, or a blob after it in the archive, whichever copy reads past the new end first.
        const rest = (err as Error).message.replace(/^oci-archive:.*?: blob sha256:[0-9a-f]{64}: /, '');
        assert.ok((err as Error).message.startsWith(`oci-archive:${file}: blob `), (err as Error).message);
        assert.match(rest, /^the file ended after \d+ of \d+ bytes \(cut short or rewritten since it was read\)$/);
        return true;
      },
    );
    await fs.writeFile(file, bytes);

    // A link to a copy of the archive swapped in: even the right bytes are not read through it.
    const moved = path.join(dir, 'moved.tar');
    await assert.rejects(
      copyInto('linked', async () => {
        await fs.rename(file, moved);
        await fs.symlink(moved, file);
      }),
      (err: unknown) => {
        assert.ok(OciError.is(err, 'LAYOUT'), String(err));
        assert.match((err as Error).message, /link|not a regular file|replaced/);
        return true;
      },
    );
  });

  it('one writer at a time: a second waits for the first and writes on top of its archive; a timeout names the archive', async () => {
    const memory = new MemoryTarget();
    const { big, small } = await seed(memory, large);
    const file = path.join(dir, 'shared.tar');
    const first = await ArchiveTarget.open(file, { create: true });
    const second = await ArchiveTarget.open(file, { create: true });
    await copy(memory, 'small', first, { tag: 'small' });
    let secondDone = false;
    const secondRun = copy(memory, 'big', second, { tag: 'big' }).then(async () => {
      secondDone = true;
      await second.finish();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(secondDone, false, 'the second writer did not wait for the first');
    await first.finish();
    await secondRun;
    const reread = await ArchiveTarget.open(file);
    assert.equal((await reread.resolve('small')).digest, small.manifest.digest, 'the first writer’s tag was lost');
    assert.equal((await reread.resolve('big')).digest, big.manifest.digest);

    const release = await acquireFileLock(first.lockFile);
    try {
      const impatient = await ArchiveTarget.open(file, { create: true, lockTimeoutMs: 300 });
      await assert.rejects(impatient.tag(small.manifest, 'other'), (err: unknown) => {
        assert.ok(OciError.is(err, 'LAYOUT'), String(err));
        assert.ok(
          err.message.includes(file) && /another process is writing this archive/.test(err.message),
          err.message,
        );
        return true;
      });
    } finally {
      await release();
    }
  });
});
