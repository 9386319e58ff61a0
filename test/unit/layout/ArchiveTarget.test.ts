// Layout archives (oci-archive:): written deterministically and atomically on finish, read by byte ranges with
// every blob verified, resumed from staging after a failed run, and hostile archives refused.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { copy, listReferrers } from '../../../src/core/graph';
import { ArchiveTarget, isLayoutArchive, LayoutTarget, stagingFolderOf } from '../../../src/core/layout';
import { MemoryTarget } from '../../../src/core/memory';
import { OciError } from '../../../src/core/oci';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { bytesContent, pushArtifact } from '../../helpers/sampleArtifact';
import { digestOf, type ReadOnlyTarget } from '../../../src/core/content';
import { HOSTILE_LAYOUT_ARCHIVES, layoutEntries } from '../../fixtures/hostile/layoutArchives';
import { buildTar } from '../../helpers/tarBuilder';

/** A referrer tree copied into a new archive at `dir`/backup.tar, finished: what a backup leaves. */
async function finishedBackup(dir: string) {
  const src = new MemoryTarget();
  const tree = await pushReferrerTree(src);
  const file = path.join(dir, 'backup.tar');
  const archive = await ArchiveTarget.open(file, { create: true });
  await copy(src, 'v1', archive, { referrers: true, tag: 'v1' });
  await archive.finish();
  return { src, tree, file, archive };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(stream, new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
  return Buffer.concat(chunks);
}

describe('ArchiveTarget (oci-archive:)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-archive-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a graph with its referrers on finish, reads it back verified, and stages nothing before', async () => {
    const src = new MemoryTarget();
    const tree = await pushReferrerTree(src);
    const file = path.join(dir, 'backup.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v1', archive, { referrers: true, tag: 'v1' });
    await assert.rejects(fs.stat(file), 'nothing at the destination before finish');
    await archive.finish();
    await assert.rejects(fs.stat(stagingFolderOf(file)), 'staging removed once the archive is written');

    const reread = await ArchiveTarget.open(file);
    assert.equal((await reread.resolve('v1')).digest, tree.subject.digest);
    const referrers = await listReferrers(reread, tree.subject.digest);
    assert.deepEqual(referrers.map((r) => r.descriptor.digest).sort(), [tree.sbom.digest, tree.notes.digest].sort());
    const back = new MemoryTarget();
    const copied = await copy(reread, 'v1', back, { referrers: true, tag: 'v1' });
    assert.equal(
      copied.progress.totalItems,
      (await copy(src, 'v1', new MemoryTarget(), { referrers: true })).progress.totalItems,
    );
  });

  it('indexes the archive it wrote only when it is read again: the same target still reads every blob after finish', async () => {
    const { tree, archive } = await finishedBackup(dir);
    // A backup ends here: an entry per blob (120,000 for 10,000 signed tags) would be held for nothing.
    assert.equal((archive as unknown as { entries?: unknown }).entries, undefined, 'entries held after finish');
    assert.equal((await archive.resolve('v1')).digest, tree.subject.digest);
    assert.ok(await archive.exists(tree.sbom));
    const back = new MemoryTarget();
    await copy(archive, 'v1', back, { referrers: true, tag: 'v1' });
    assert.equal((await back.resolve('v1')).digest, tree.subject.digest);
    assert.ok((archive as unknown as { entries?: unknown }).entries, 'indexed again once read');
  });

  it('indexes the archive it wrote once however many reads ask at once, and refuses a link put in its place', async () => {
    const { src, tree, file, archive } = await finishedBackup(dir);
    // A copy asks about several blobs at a time: each asking indexed the whole archive (a Map each) in parallel.
    const open = fs.open;
    let opened = 0;
    fs.open = ((...args: Parameters<typeof open>) => {
      if (args[0] === file) opened++;
      return open(...args);
    }) as typeof open;
    try {
      const found = await Promise.all(Array.from({ length: 8 }, () => archive.exists(tree.sbom)));
      assert.deepEqual(found, Array(8).fill(true));
    } finally {
      fs.open = open;
    }
    // Once to see it is not compressed, once to index it; eight indexings before.
    assert.equal(opened, 2, 'the archive indexed once');

    // Replaced by a link after finish (to a copy of itself): refused as open() refuses it, not indexed through it.
    const again = await ArchiveTarget.open(path.join(dir, 'again.tar'), { create: true });
    await copy(src, 'v1', again, { referrers: true, tag: 'v1' });
    await again.finish();
    await fs.rename(path.join(dir, 'again.tar'), path.join(dir, 'elsewhere.tar'));
    await fs.symlink(path.join(dir, 'elsewhere.tar'), path.join(dir, 'again.tar'));
    await assert.rejects(
      again.exists(tree.sbom),
      (e: unknown) => OciError.is(e, 'LAYOUT') && /again\.tar is not a regular file/.test(e.message),
    );
  });

  it('writes the same bytes for the same content, whatever order it arrived in (sorted entries and index, mtime 0)', async () => {
    const src = new MemoryTarget();
    for (const tag of ['v1', 'v2', 'v3']) await pushArtifact(src, `content of ${tag}`, { tag });
    const write = async (name: string, order: string[]) => {
      const archive = await ArchiveTarget.open(path.join(dir, name), { create: true });
      for (const tag of order) await copy(src, tag, archive, { tag, concurrency: 8 });
      await archive.finish();
      return fs.readFile(path.join(dir, name));
    };
    const a = await write('a.tar', ['v1', 'v2', 'v3']);
    const b = await write('b.tar', ['v3', 'v1', 'v2']);
    assert.ok(a.equals(b), 'two archives of the same content differ');
    assert.equal(a.subarray(0, 6).toString('latin1'), 'blobs/', 'the first entry is the blobs folder');
    assert.equal(a.readUInt8(136), '0'.charCodeAt(0), 'mtime is 0');
  });

  it('adds a tag to an existing archive: old blobs carried over (verified), new ones added, old file replaced whole', async () => {
    const src = new MemoryTarget();
    const first = await pushArtifact(src, 'first', { tag: 'v1' });
    const second = await pushArtifact(src, 'second', { tag: 'v2' });
    const file = path.join(dir, 'x.tar');
    let archive = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v1', archive, { tag: 'v1' });
    await archive.finish();
    archive = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v2', archive, { tag: 'v2' });
    await archive.finish();
    const reread = await ArchiveTarget.open(file);
    const tags: string[] = [];
    for await (const page of reread.listTags()) tags.push(...page);
    assert.deepEqual(tags, ['v1', 'v2']);
    assert.equal(
      (await collect(await reread.fetchBlob(first.layer))).toString(),
      'first',
      'the blob of v1 came through the rewrite',
    );
    assert.equal((await collect(await reread.fetchBlob(second.layer))).toString(), 'second');
  });

  it('stores a blob whose name ustar cannot hold (sha512: a pax path record) and reads it back', async () => {
    const bytes = Buffer.from('a blob named by its sha512 digest');
    const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes, 'sha512'), size: bytes.length };
    const file = path.join(dir, 'long.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await archive.pushBlob(descriptor, bytesContent(bytes));
    await archive.finish();
    const reread = await ArchiveTarget.open(file);
    assert.equal(await reread.exists(descriptor), true);
    assert.deepEqual(await collect(await reread.fetchBlob(descriptor)), bytes);
  });

  it('a rerun that changes nothing leaves the archive file as it was (no staging, no rewrite)', async () => {
    const src = new MemoryTarget();
    await pushReferrerTree(src);
    const file = path.join(dir, 'same.tar');
    const first = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v1', first, { tag: 'v1', referrers: true });
    await first.finish();
    const before = await fs.stat(file);

    const rerun = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v1', rerun, { tag: 'v1', referrers: true });
    await rerun.finish();

    assert.equal((await fs.stat(file)).ino, before.ino, 'the archive was rewritten');
    await assert.rejects(fs.stat(stagingFolderOf(file)), 'a staging folder was made');
  });

  it('a failed run leaves staging; the rerun reuses what was fetched and fills the rest', async () => {
    const src = new MemoryTarget();
    const artifact = await pushArtifact(src, 'payload', { tag: 'v1' });
    const file = path.join(dir, 'resume.tar');
    const first = await ArchiveTarget.open(file, { create: true });
    // A run that stored the layer and then failed (never finished).
    await first.pushBlob(artifact.layer, bytesContent(artifact.layerBytes));
    await assert.rejects(fs.stat(file));
    await first.release(); // what the CLI's session does after a failure: staging stays, the writer lock goes

    const fetched: string[] = [];
    const counting: ReadOnlyTarget = {
      location: src.location,
      resolve: (ref, options) => src.resolve(ref, options),
      fetchManifest: (ref, options) => src.fetchManifest(ref, options),
      exists: (descriptor, options) => src.exists(descriptor, options),
      fetchBlob: (descriptor, options) => (fetched.push(descriptor.digest), src.fetchBlob(descriptor, options)),
    };
    const rerun = await ArchiveTarget.open(file, { create: true });
    assert.equal(await rerun.exists(artifact.layer), true, 'the staged layer counts as present');
    await copy(counting, 'v1', rerun, { tag: 'v1' });
    await rerun.finish();
    assert.ok(!fetched.includes(artifact.layer.digest), 'the staged layer was fetched again');
    assert.equal((await (await ArchiveTarget.open(file)).resolve('v1')).digest, artifact.manifest.digest);
  });

  it('a blob whose bytes in the archive do not match its digest fails the read, and the rewrite keeps the old file', async () => {
    const src = new MemoryTarget();
    const artifact = await pushArtifact(src, 'genuine', { tag: 'v1' });
    await pushArtifact(src, 'other', { tag: 'v2' });
    const file = path.join(dir, 'x.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(src, 'v1', archive, { tag: 'v1' });
    await archive.finish();
    // Same length, other bytes: the archive's index still says "genuine".
    const bytes = await fs.readFile(file);
    const at = bytes.indexOf('genuine');
    bytes.write('GENUINE', at, 'latin1');
    await fs.writeFile(file, bytes);

    const tampered = await ArchiveTarget.open(file, { create: true });
    await assert.rejects(collect(await tampered.fetchBlob(artifact.layer)), (err: unknown) =>
      OciError.is(err, 'DIGEST_MISMATCH'),
    );
    await copy(src, 'v2', tampered, { tag: 'v2' });
    await assert.rejects(tampered.finish(), (err: unknown) => OciError.is(err, 'DIGEST_MISMATCH'));
    await tampered.release();
    assert.ok((await fs.readFile(file)).equals(bytes), 'the archive was replaced after a failed rewrite');
    assert.deepEqual(
      (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp')),
      [],
      'a temp file was left beside the archive',
    );
  });

  describe('a staged blob changed between staging and finish fails the write and keeps the old archive', () => {
    // Staging sits beside the archive (and a failed run's stays there for days): anything may write into it. The
    // file keeps its device and inode when it is written in place or through a hard link, and a new file may get the
    // inode a deleted one had, so only its digest tells.
    const changes: [string, (blob: string, dir: string) => Promise<void>][] = [
      ['written in place', (blob) => fs.writeFile(blob, 'PAYLOAD')],
      [
        'written through a hard link made elsewhere',
        async (blob, dir) => {
          const link = path.join(dir, 'elsewhere');
          await fs.link(blob, link);
          await fs.writeFile(link, 'PAYLOAD');
        },
      ],
      [
        'deleted and a new file made in its place',
        async (blob) => {
          await fs.rm(blob);
          await fs.writeFile(blob, 'PAYLOAD');
        },
      ],
    ];
    for (const [how, change] of changes)
      it(how, async () => {
        const src = new MemoryTarget();
        await pushArtifact(src, 'old', { tag: 'v0' });
        const artifact = await pushArtifact(src, 'payload', { tag: 'v1' });
        const file = path.join(dir, 'staged.tar');
        const first = await ArchiveTarget.open(file, { create: true });
        await copy(src, 'v0', first, { tag: 'v0' });
        await first.finish();
        const before = await fs.readFile(file);

        const archive = await ArchiveTarget.open(file, { create: true });
        await copy(src, 'v1', archive, { tag: 'v1' });
        const [algorithm, encoded] = artifact.layer.digest.split(':') as [string, string];
        await change(path.join(stagingFolderOf(file), 'blobs', algorithm, encoded), dir);
        await assert.rejects(archive.finish(), (err: unknown) => {
          assert.ok(OciError.is(err, 'DIGEST_MISMATCH'), String(err));
          assert.ok(
            (err as Error).message.startsWith(
              `oci-archive:${file}: staged blobs/${algorithm}/${encoded} in ${stagingFolderOf(file)}: digest mismatch`,
            ),
            (err as Error).message,
          );
          return true;
        });
        await archive.release();
        assert.ok((await fs.readFile(file)).equals(before), 'the archive was replaced with the changed blob in it');
        await fs.stat(stagingFolderOf(file)); // staging stays for the user to look at
      });
  });

  it('refuses gzip-compressed archives, and compressed names as a destination, saying what to do', async () => {
    const layoutDir = path.join(dir, 'layout');
    const layout = await LayoutTarget.open(layoutDir, { create: true });
    await pushArtifact(layout, 'x', { tag: 'v1' });
    const file = path.join(dir, 'x.tar');
    const archive = await ArchiveTarget.open(file, { create: true });
    await copy(layout, 'v1', archive, { tag: 'v1' });
    await archive.finish();
    await fs.writeFile(`${file}.gz`, gzipSync(await fs.readFile(file)));
    await assert.rejects(ArchiveTarget.open(`${file}.gz`), /gzip-compressed.*decompress it first/);
    await assert.rejects(ArchiveTarget.open(path.join(dir, 'new.tar.gz'), { create: true }), /plain \.tar/);
    await assert.rejects(ArchiveTarget.open(path.join(dir, 'missing.tar')), (err: unknown) =>
      OciError.is(err, 'NOT_FOUND'),
    );
  });

  it('tells a layout archive from other tars by headers alone (GNU tar, ours with a pax name, a plain tarball, gzip)', async () => {
    const ours = path.join(dir, 'ours.tar');
    const archive = await ArchiveTarget.open(ours, { create: true });
    const bytes = Buffer.from('sha512-named');
    await archive.pushBlob(
      { mediaType: 'application/octet-stream', digest: digestOf(bytes, 'sha512'), size: bytes.length },
      bytesContent(bytes),
    );
    await archive.finish();
    const withDotSlash = path.join(dir, 'dot.tar');
    await fs.writeFile(withDotSlash, await buildTar(layoutEntries().map((e) => ({ ...e, name: `./${e.name}` }))));
    const plain = path.join(dir, 'plain.tar');
    await fs.writeFile(
      plain,
      await buildTar([
        { name: 'src/', type: 'directory' },
        { name: 'src/a.c', content: 'x' },
      ]),
    );
    const gzip = path.join(dir, 'x.tar.gz');
    await fs.writeFile(gzip, gzipSync(await fs.readFile(withDotSlash)));
    const found = await Promise.all(
      [ours, withDotSlash, plain, gzip, path.join(dir, 'missing.tar')].map((f) => isLayoutArchive(f)),
    );
    assert.deepEqual(found, [true, true, false, false, false]);
  });

  describe('hostile archives are refused, naming the entry at fault', () => {
    for (const hostile of HOSTILE_LAYOUT_ARCHIVES) {
      it(hostile.name, async () => {
        const file = path.join(dir, 'hostile.tar');
        await fs.writeFile(file, await hostile.build());
        const outcome = await (async () => {
          const archive = await ArchiveTarget.open(file);
          await hostile.use(archive);
        })().then(
          () => undefined,
          (err: unknown) => err,
        );
        assert.ok(OciError.is(outcome), `not refused with a typed error: ${String(outcome)}`);
        assert.match(outcome.message, hostile.refusal);
      });
    }
  });
});
