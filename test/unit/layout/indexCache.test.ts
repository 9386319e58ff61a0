// index.json parsed once per change: repeated reads of an unchanged file parse nothing, this process's own writes
// are kept as written, another writer's change is read again, and what callers get cannot change what is kept.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveTarget } from '../../../src/core/layout/ArchiveTarget';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { IndexCache } from '../../../src/core/layout/indexCache';
import { readIndexFile } from '../../../src/core/layout/indexFile';
import { pushArtifact } from '../../helpers/sampleArtifact';

describe('index.json read once per change', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-index-cache-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('parses an unchanged index once, and again when another writer replaced it', async () => {
    const layout = await LayoutTarget.open(dir, { create: true });
    await pushArtifact(layout, 'a', { tag: 'v1' });
    const cache = new IndexCache();
    let loads = 0;
    const read = () => cache.current(dir, () => (loads++, readIndexFile(dir)));
    for (let i = 0; i < 5; i++) assert.equal((await read()).manifests.length, 1);
    assert.equal(loads, 1, 'five reads of one file, one parse');

    // Another process's write: a new file renamed over it (how every writer of a layout replaces index.json).
    const theirs = await readIndexFile(dir);
    theirs.manifests = [];
    await fs.writeFile(path.join(dir, 'index.json.new'), JSON.stringify(theirs));
    await fs.rename(path.join(dir, 'index.json.new'), path.join(dir, 'index.json'));
    assert.equal((await read()).manifests.length, 0);
    assert.equal(loads, 2);
  });

  it('keeps what this layout wrote, so a run of tags parses nothing, and reads back exactly what is on disk', async () => {
    const layout = await LayoutTarget.open(dir, { create: true });
    const cache = (layout as unknown as { indexCache: IndexCache }).indexCache;
    let loads = 0;
    const current = cache.current.bind(cache);
    cache.current = (root, load) => current(root, () => (loads++, load()));
    await pushArtifact(layout, 'a', { tag: 'v1' });
    loads = 0;
    for (let i = 2; i <= 20; i++) await pushArtifact(layout, `content ${i}`, { tag: `v${i}` });
    assert.equal(loads, 0, 'every read after a write of its own came from what was written');
    const kept = await layout.readIndex();
    assert.deepEqual(kept, await readIndexFile(dir));
    assert.equal(kept.manifests.length, 20);
  });

  it('hands out copies: a caller’s changes to the array never reach the next reader, and entries cannot change', async () => {
    const layout = await LayoutTarget.open(dir, { create: true });
    await pushArtifact(layout, 'a', { tag: 'v1' });
    const first = await layout.readIndex();
    first.manifests.pop();
    assert.equal((await layout.readIndex()).manifests.length, 1);
    const entry = (await layout.readIndex()).manifests[0]!;
    assert.throws(() => {
      (entry as { size: number }).size = 1;
    }, TypeError);
    assert.throws(() => {
      entry.annotations!['x'] = 'y';
    }, TypeError);
  });

  it('looks tags and digests up in place: resolve, listTags and an archive’s tag check copy no index', async () => {
    // A copy of the whole index per look-up was garbage of 160 KB a tag in a backup of 10,000 signed tags.
    const copiesOf = (store: { readIndex: () => Promise<unknown> }) => {
      const counted = { copies: 0 };
      const readIndex = store.readIndex.bind(store);
      store.readIndex = () => (counted.copies++, readIndex());
      return counted;
    };
    const layout = await LayoutTarget.open(path.join(dir, 'layout'), { create: true });
    const v1 = await pushArtifact(layout, 'a', { tag: 'v1' });
    const layoutCopies = copiesOf(layout);
    await layout.withBatchedIndex(async () => {
      const v2 = await pushArtifact(layout, 'b', { tag: 'v2' });
      assert.equal((await layout.resolve('v2')).digest, v2.manifest.digest, 'a tag waiting in the batch');
      assert.equal((await layout.resolve('v1')).digest, v1.manifest.digest);
      assert.equal((await layout.resolve(v1.manifest.digest)).digest, v1.manifest.digest);
      await assert.rejects(layout.resolve('v3'), /tag "v3"/);
      const tags: string[] = [];
      for await (const page of layout.listTags()) tags.push(...page);
      assert.deepEqual(tags.sort(), ['v1', 'v2']);
    });
    assert.equal(layoutCopies.copies, 0, 'the layout copied its index for a look-up');

    const archive = await ArchiveTarget.open(path.join(dir, 'backup.tar'), { create: true });
    const a1 = await pushArtifact(archive, 'a', { tag: 'a1' });
    const staging = (archive as unknown as { staging: LayoutTarget }).staging;
    await archive.tag(a1.manifest, 'a2');
    // Tags already so are only looked up (a rerun changes nothing).
    const archiveCopies = [copiesOf(archive), copiesOf(staging)];
    await archive.tag(a1.manifest, 'a1');
    await archive.tag(a1.manifest, 'a2');
    assert.equal((await archive.resolve('a2')).digest, a1.manifest.digest);
    assert.equal((await archive.resolve(a1.manifest.digest)).digest, a1.manifest.digest);
    assert.deepEqual(
      archiveCopies.map((c) => c.copies),
      [0, 0],
      'the archive copied an index for a look-up',
    );
    await archive.finish();
    const archived = copiesOf(archive);
    assert.equal((await archive.resolve('a1')).digest, a1.manifest.digest, 'read from the archive written');
    assert.equal(archived.copies, 0, 'the archive copied its index to look a tag up');
  });
});
