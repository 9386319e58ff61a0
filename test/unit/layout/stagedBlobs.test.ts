// Proves the list of staged blobs an archive is written from holds, for each blob, only what opening it needs: a
// backup of 10,000 signed tags stages 100,000 blobs, and a whole fs.Stats kept with each (1.3 KB a blob with the
// rest) took 130 MiB; a path and an opening function of its own each, half of what was left. The blobs still open as
// the files checked.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readlinkSync, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../../src/core/layout';
import { stagedBlobs } from '../../../src/core/layout/archiveRewrite';
import { writeLayoutArchive } from '../../../src/core/layout/archiveWriter';
import { StagedBlobList } from '../../../src/core/layout/stagedBlobList';
import { fullCollect } from '../../helpers/fullCollect';
import { bytesContent } from '../../helpers/sampleArtifact';

describe('stagedBlobs (the files a layout archive is written from)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-staged-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps no fs.Stats of the blobs it lists, and each still opens as the file checked', async () => {
    const { staging, digests } = await stageBlobs(dir, 20);
    const stats: WeakRef<Stats>[] = [];
    const lstat = fs.lstat;
    fs.lstat = (async (...args: Parameters<typeof lstat>) => {
      const stat = await lstat(...args);
      stats.push(new WeakRef(stat as Stats));
      return stat;
    }) as typeof lstat;
    let blobs;
    try {
      blobs = await stagedBlobs(staging);
    } finally {
      fs.lstat = lstat;
    }
    assert.equal(blobs.count, digests.length);
    assert.ok(stats.length >= digests.length, 'each blob was looked at');
    await new Promise((resolve) => setImmediate(resolve));
    fullCollect();
    assert.equal(stats.filter((s) => s.deref()).length, 0, 'a Stats is still held by the list');
    // No path and no function of its own per entry: the staging root (one string shared by all) and two numbers.
    for (const blob of blobs.sorted()) {
      assert.deepEqual(Object.keys(blob.source).sort(), ['dev', 'ino', 'stagedIn']);
      assert.ok('stagedIn' in blob.source && blob.source.stagedIn === staging.root);
    }
    // Each opens as the file checked, and is verified against its name as the archive is written.
    const archive = path.join(dir, 'out.tar');
    await writeLayoutArchive(archive, blobs);
    assert.ok((await fs.stat(archive)).size > 20 * 512);
  });

  it('holds no object per blob: each is made as the writer asks for it, in name order, and collected once written', async () => {
    const { staging, digests } = await stageBlobs(dir, 200);
    const blobs = await stagedBlobs(staging);
    const handedOut: WeakRef<object>[] = [];
    const names = namesOf(blobs.sorted(), handedOut);
    const expected = digests.map((d) => `blobs/sha256/${d.slice('sha256:'.length)}`).sort();
    assert.deepEqual(names, expected);
    assert.ok(blobs.has(expected[123]!) && !blobs.has('blobs/sha256/' + '0'.repeat(64)) && !blobs.has('index.json'));
    await new Promise((resolve) => setImmediate(resolve));
    fullCollect();
    // A list of 120,000 objects (a backup of 10,000 signed tags) took ~36 MB of heap for the whole archive write.
    assert.equal(handedOut.filter((ref) => ref.deref()).length, 0, 'the list still holds what it handed out');
    assert.equal(blobs.count, 200);
  });

  it('hands blobs out in the order their names sort, sha256 and sha512 mixed, and finds each by name', () => {
    const list = new StagedBlobList(dir);
    const names: string[] = [];
    for (let i = 0; i < 300; i++) {
      const algorithm = i % 3 ? 'sha256' : 'sha512';
      const hex = createHash(algorithm).update(`blob ${i}`).digest('hex');
      names.push(`blobs/${algorithm}/${hex}`);
      list.add(names[i]!, i, 1, 1000 + i);
    }
    const sorted = [...list.sorted()];
    assert.deepEqual(
      sorted.map((blob) => blob.name),
      [...names].sort(),
    );
    assert.deepEqual(sorted[0]!.source, { stagedIn: dir, dev: 1, ino: 1000 + names.indexOf(sorted[0]!.name) });
    assert.equal(list.totalBytes, (299 * 300) / 2);
    assert.ok(names.every((name) => list.has(name)));
    assert.ok(!list.has(names[0]!.replace(/.$/, (c) => (c === '0' ? '1' : '0'))));
  });

  it('closes each staged blob once it is copied into the archive: never more than one open at a time', async () => {
    const { staging } = await stageBlobs(dir, 20);
    const blobs = await stagedBlobs(staging);
    // Sampled as the tar is written: the small bodies are gathered and written at the end, all copied by then.
    let mostOpen = 0;
    await writeLayoutArchive(path.join(dir, 'out.tar'), blobs, {
      onProgress: () => (mostOpen = Math.max(mostOpen, openUnder(path.join(staging.root, 'blobs')))),
    });
    assert.ok(mostOpen <= 1, `${mostOpen} staged blobs open at once`);
  });

  it('reports the bytes of the blobs written, not of the tar: headers and padding never count', async () => {
    // 3,000 blobs of 300 bytes: a header and padding each, 724 bytes of tar around each blob's 300.
    const files = Array.from({ length: 3000 }, (_, i) => {
      const bytes = Buffer.alloc(300, i % 251);
      return { name: `blobs/sha256/${String(i).padStart(64, '0')}`, size: bytes.length, source: { bytes } };
    });
    const reports: { doneBytes: number; doneItems: number }[] = [];
    await writeLayoutArchive(path.join(dir, 'progress.tar'), files, {
      onProgress: ({ doneBytes, doneItems }) => reports.push({ doneBytes, doneItems }),
    });
    assert.ok(reports.length > 1, `${reports.length} reports`);
    // Bodies are written once gathered: never more bytes shown than the files counted done hold.
    for (const { doneBytes, doneItems } of reports)
      assert.ok(doneBytes <= doneItems * 300, `${doneBytes} bytes shown with ${doneItems} files done`);
    assert.equal(reports.at(-1)!.doneBytes, 3000 * 300);
  });

  it('writes a file held in memory larger than the gathering buffer (the index.json of 10,000 signed tags: 4.9 MB)', async () => {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [], padding: 'x'.repeat(3 << 20) }));
    const small = Buffer.from('{"imageLayoutVersion":"1.0.0"}');
    const archive = path.join(dir, 'big-index.tar');
    await writeLayoutArchive(archive, [
      { name: 'index.json', size: index.length, source: { bytes: index } },
      { name: 'oci-layout', size: small.length, source: { bytes: small } },
    ]);
    assert.ok(execFileSync('tar', ['-xOf', archive, 'index.json'], { maxBuffer: 8 << 20 }).equals(index));
    assert.ok(execFileSync('tar', ['-xOf', archive, 'oci-layout']).equals(small));
  });

  it('fails the archive when a staged blob is rewritten in place or replaced after it was listed', async () => {
    const staging = await LayoutTarget.open(dir, { create: true });
    const bytes = Buffer.from('the staged bytes');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await staging.pushBlob({ mediaType: 'application/octet-stream', digest, size: bytes.length }, bytesContent(bytes));
    const file = path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
    const blobs = await stagedBlobs(staging);
    // Same file, same size, other bytes: only the hash made while writing can tell.
    await fs.writeFile(file, Buffer.from('THE STAGED BYTES'), { flag: 'r+' });
    await assert.rejects(writeLayoutArchive(path.join(dir, 'in-place.tar'), blobs), /sha256|digest/i);
    // Another file renamed over it: not the file listed.
    await fs.writeFile(`${file}.other`, bytes);
    await fs.rename(`${file}.other`, file);
    await assert.rejects(writeLayoutArchive(path.join(dir, 'replaced.tar'), blobs));
    assert.deepEqual(
      (await fs.readdir(dir)).filter((name) => name.endsWith('.tar')),
      [],
      'no archive left behind',
    );
  });
});

/** The names of `files`, each file also remembered weakly in `refs` (in a frame of its own, gone once it returns). */
function namesOf(files: Iterable<{ name: string }>, refs: WeakRef<object>[]): string[] {
  const names: string[] = [];
  for (const file of files) {
    refs.push(new WeakRef(file));
    names.push(file.name);
  }
  return names;
}

/** How many of this process's descriptors name a file under `folder` (Linux: /proc/self/fd). */
function openUnder(folder: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${folder}/`)) count++;
    } catch {
      // closed since it was listed
    }
  }
  return count;
}

/** A staging layout in `dir` holding `count` small blobs. */
async function stageBlobs(dir: string, count: number): Promise<{ staging: LayoutTarget; digests: string[] }> {
  const staging = await LayoutTarget.open(dir, { create: true });
  const digests: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(`blob ${i}`);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await staging.pushBlob({ mediaType: 'application/octet-stream', digest, size: bytes.length }, bytesContent(bytes));
    digests.push(digest);
  }
  return { staging, digests };
}
