// A copy of many tags into a layout writes index.json in batches: once for a run that takes less than a batch's
// time, not once per manifest tagged; every write names only complete content (another reader never sees a tag
// before its referrers); a run that fails or is cancelled writes the tags it finished; a rerun lists referrers it
// finds stored but unlisted; and another writer's referrers update waits for the batch's pending one.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyTags } from '../../../src/core/graph';
import { addToFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { fallbackTagOf, listReferrers, referrerEntry } from '../../../src/core/graph/referrers';
import { ArchiveTarget } from '../../../src/core/layout/ArchiveTarget';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import type { IndexCache } from '../../../src/core/layout/indexCache';
import { MemoryTarget } from '../../../src/core/memory';
import { OciError, type Descriptor, type ImageManifest, type Manifest } from '../../../src/core/oci';
import { sleep } from '../../../src/core/content';
import { pushReferrerTree, type ReferrerTree } from '../../helpers/referrerTree';

const TAGS = 6;

/** Counts the layout's writes of index.json (each write hands its index to the cache as written). */
function countWrites(layout: LayoutTarget, onWrite?: () => Promise<void>): { writes: number } {
  const cache = (layout as unknown as { indexCache: IndexCache }).indexCache;
  const wrote = cache.wrote.bind(cache);
  const counter = { writes: 0 };
  cache.wrote = async (...args) => {
    counter.writes++;
    await wrote(...args);
    await onWrite?.();
  };
  return counter;
}

async function signedSource(): Promise<{ src: MemoryTarget; trees: Map<string, ReferrerTree> }> {
  const src = new MemoryTarget();
  const trees = new Map<string, ReferrerTree>();
  for (let i = 0; i < TAGS; i++) trees.set(`v${i}`, await pushReferrerTree(src, `v${i}`));
  return { src, trees };
}

/** A referrer's config and layers. */
function blobsOf(manifest: Manifest): Descriptor[] {
  const { config, layers } = manifest as ImageManifest;
  return [config, ...layers];
}

/** The referrers of `digest` at `target`, by digest. */
async function referrersOf(target: LayoutTarget, digest: string): Promise<string[]> {
  return (await listReferrers(target, digest)).map((r) => r.descriptor.digest).sort();
}

/** Every tag of the folder as a reader opening it now sees it names a stored manifest, and every root its referrers. */
async function assertComplete(dir: string, trees: Map<string, ReferrerTree>): Promise<string[]> {
  const reader = await LayoutTarget.open(dir);
  const index = JSON.parse(await fs.readFile(path.join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  for (const entry of index.manifests)
    assert.ok(await reader.exists(entry), `index.json names ${entry.digest}, which is stored`);
  const tags: string[] = [];
  for await (const page of reader.listTags()) tags.push(...page);
  const roots = tags.filter((t) => trees.has(t));
  for (const tag of roots) {
    const tree = trees.get(tag)!;
    assert.deepEqual(
      await referrersOf(reader, tree.subject.digest),
      [tree.sbom.digest, tree.notes.digest].sort(),
      `${tag} is seen with its referrers`,
    );
    assert.deepEqual(await referrersOf(reader, tree.sbom.digest), [tree.signature.digest]);
  }
  return roots.sort();
}

describe('index.json written in batches by a copy of many tags into a layout', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-index-batch-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes index.json once for a short run (was once per manifest tagged: four a tag here) with every tag and referrer', async () => {
    const { src, trees } = await signedSource();
    const dst = await LayoutTarget.open(dir, { create: true, batchIntervalMs: 60_000 });
    const counted = countWrites(dst);
    const summary = await copyTags(src, dst, { referrers: true });
    assert.equal(summary.tags.length, TAGS);
    assert.equal(counted.writes, 1);
    assert.deepEqual(await assertComplete(dir, trees), [...trees.keys()].sort());
  });

  it('writes the staging index.json of a .tar backup in batches too, and the archive holds every tag and referrer', async () => {
    const { src, trees } = await signedSource();
    const proto = LayoutTarget.prototype as unknown as { writeIndex: (...args: unknown[]) => Promise<void> };
    const writeIndex = proto.writeIndex;
    let writes = 0;
    proto.writeIndex = function (this: unknown, ...args: unknown[]) {
      writes++;
      return writeIndex.apply(this, args);
    };
    const file = path.join(dir, 'backup.tar');
    try {
      const archive = await ArchiveTarget.open(file, { create: true });
      await copyTags(src, archive, { referrers: true });
      await archive.finish();
    } finally {
      proto.writeIndex = writeIndex;
    }
    // Staging made (its empty index.json), seeded with the archive's entries, then the run's one batch.
    assert.equal(writes, 3);
    const reader = await ArchiveTarget.open(file);
    for (const [tag, tree] of trees) {
      assert.equal((await reader.resolve(tag)).digest, tree.subject.digest);
      const listed = (await listReferrers(reader, tree.subject.digest)).map((r) => r.descriptor.digest).sort();
      assert.deepEqual(listed, [tree.sbom.digest, tree.notes.digest].sort());
    }
  });

  it('never lets another reader see a tag before its referrers, whenever index.json is written', async () => {
    const { src, trees } = await signedSource();
    const dst = await LayoutTarget.open(dir, { create: true, batchIntervalMs: 0 });
    const seen: string[][] = [];
    countWrites(dst, async () => {
      seen.push(await assertComplete(dir, trees));
    });
    await copyTags(src, dst, { referrers: true });
    assert.ok(seen.length >= 2, `written ${seen.length} times along the run`);
    assert.deepEqual(seen.at(-1), [...trees.keys()].sort());
  });

  it('writes the tags finished before a failure, and the rerun completes the folder', async () => {
    const { src, trees } = await signedSource();
    const broken = trees.get('v3')!.notes;
    const fetchManifest = src.fetchManifest.bind(src);
    src.fetchManifest = (ref, options) =>
      typeof ref !== 'string' && ref.digest === broken.digest
        ? Promise.reject(new OciError('REGISTRY', 'refused'))
        : fetchManifest(ref, options);
    const dst = await LayoutTarget.open(dir, { create: true, batchIntervalMs: 60_000 });
    await assert.rejects(copyTags(src, dst, { referrers: true }), /refused/);
    assert.deepEqual(await assertComplete(dir, trees), ['v0', 'v1', 'v2']);

    src.fetchManifest = fetchManifest;
    await copyTags(src, await LayoutTarget.open(dir), { referrers: true });
    assert.deepEqual(await assertComplete(dir, trees), [...trees.keys()].sort());
  });

  it('writes the tags finished before a cancel', async () => {
    const { src, trees } = await signedSource();
    const dst = await LayoutTarget.open(dir, { create: true, batchIntervalMs: 60_000 });
    const cancel = new AbortController();
    const run = copyTags(src, dst, {
      referrers: true,
      signal: cancel.signal,
      onTag: (event) => {
        if (event.phase === 'done' && event.tag === 'v1') cancel.abort();
      },
    });
    await assert.rejects(run, (err: unknown) => OciError.is(err, 'ABORTED'));
    assert.deepEqual(await assertComplete(dir, trees), ['v0', 'v1']);
  });

  it('lists a referrer a run stored but did not list before it was killed', async () => {
    const { src, trees } = await signedSource();
    const tree = trees.get('v0')!;
    const dst = await LayoutTarget.open(dir, { create: true });
    // What a run killed between storing the notes and writing the subject's referrers index leaves.
    const notes = await src.fetchManifest(tree.notes);
    for (const blob of blobsOf(notes.manifest)) await dst.pushBlob(blob, async () => src.fetchBlob(blob));
    await dst.pushManifest(tree.notes, notes.bytes);
    assert.deepEqual(await referrersOf(dst, tree.subject.digest), []);

    await copyTags(src, dst, { tags: ['v0'], referrers: true });
    assert.deepEqual(await referrersOf(dst, tree.subject.digest), [tree.sbom.digest, tree.notes.digest].sort());
  });

  it('keeps another writer’s referrers update waiting until its own pending one is written', async () => {
    const { src, trees } = await signedSource();
    const tree = trees.get('v0')!;
    const ours = await LayoutTarget.open(dir, { create: true, batchIntervalMs: 300 });
    await copyTags(src, ours, { tags: ['v0'] });
    const theirs = await LayoutTarget.open(dir, { lockTimeoutMs: 10_000 });
    const sbom = await src.fetchManifest(tree.sbom);
    const notes = await src.fetchManifest(tree.notes);
    for (const referrer of [sbom, notes]) {
      for (const blob of blobsOf(referrer.manifest)) await ours.pushBlob(blob, async () => src.fetchBlob(blob));
      await ours.pushManifest(referrer.descriptor, referrer.bytes);
    }
    let theirsDone = false;
    let theirsRun: Promise<void> | undefined;
    await ours.withBatchedIndex(async () => {
      await addToFallbackIndex(ours, tree.subject.digest, referrerEntry(sbom.descriptor, sbom.manifest));
      theirsRun = addToFallbackIndex(theirs, tree.subject.digest, referrerEntry(notes.descriptor, notes.manifest)).then(
        () => {
          theirsDone = true;
        },
      );
      await sleep(100);
      assert.equal(theirsDone, false, 'their update waits for ours to reach the file');
    });
    await theirsRun;
    const reader = await LayoutTarget.open(dir);
    assert.deepEqual(await referrersOf(reader, tree.subject.digest), [tree.sbom.digest, tree.notes.digest].sort());
    assert.ok((await reader.resolve(fallbackTagOf(tree.subject.digest))).digest);
  });
});
