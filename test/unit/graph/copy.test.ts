// The central graph walk (copy) over real in-memory stores: referrers copied recursively whichever way each side
// keeps them, nothing sent twice, hostile graphs refused, cancellation that stops pushing, and progress that adds up.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copy, type CopyProgress, listReferrers } from '../../../src/core/graph';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { MemoryTarget } from '../../../src/core/memory';
import { digestOf, EMPTY_JSON } from '../../../src/core/content';
import { type Descriptor, EMPTY_DESCRIPTOR, type ImageIndex, MediaType, OciError } from '../../../src/core/oci';
import { cyclicSource } from '../../fixtures/hostile/graphSources';
import { pushReferrerTree } from '../../helpers/referrerTree';
import {
  artifactManifest,
  bytesContent,
  manifestDescriptor,
  pushArtifact,
  pushCosignTag,
} from '../../helpers/sampleArtifact';
import { allTags, CountingTarget } from './countingTarget';

const referrerDigests = async (target: MemoryTarget, subject: Descriptor) =>
  (await listReferrers(target, subject.digest)).map((r) => r.descriptor.digest).sort();

/** An artifact with `count` layers of `size` random bytes each, tagged `tag`. */
async function pushLayers(target: MemoryTarget, count: number, size: number, tag = 'v1'): Promise<Descriptor> {
  const layers: Descriptor[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(size);
    const layer = { mediaType: 'application/vnd.stowage.test.layer', digest: digestOf(bytes), size };
    await target.pushBlob(layer, bytesContent(bytes));
    layers.push(layer);
  }
  const bytes = artifactManifest(layers);
  const manifest = manifestDescriptor(bytes);
  await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
  await target.pushManifest(manifest, bytes, { tag });
  return manifest;
}

/** Writes a fallback index for `subject` listing `entries`, whether or not they really refer to it. */
async function forgeFallbackIndex(target: MemoryTarget, subject: Descriptor, entries: Descriptor[]): Promise<void> {
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries };
  const bytes = Buffer.from(JSON.stringify(index));
  await target.pushManifest(manifestDescriptor(bytes, MediaType.ociIndex), bytes, {
    tag: fallbackTagOf(subject.digest),
  });
}

describe('copy: the graph walk over in-memory stores', () => {
  for (const [from, to] of [
    ['fallback tags', 'fallback tags'],
    ['fallback tags', 'a referrers API'],
    ['a referrers API', 'fallback tags'],
    ['a referrers API', 'a referrers API'],
  ] as const) {
    it(`copies a subject with referrers of referrers, from a store with ${from} to one with ${to}`, async () => {
      const src = new MemoryTarget({ referrersApi: from === 'a referrers API' });
      const dst = new MemoryTarget({ referrersApi: to === 'a referrers API' });
      const tree = await pushReferrerTree(src);

      const result = await copy(src, 'v1', dst, { referrers: true, tag: 'v1' });

      assert.equal(result.descriptor.digest, tree.subject.digest);
      assert.equal((await dst.resolve('v1')).digest, tree.subject.digest);
      assert.deepEqual(await referrerDigests(dst, tree.subject), [tree.sbom.digest, tree.notes.digest].sort());
      assert.deepEqual(await referrerDigests(dst, tree.sbom), [tree.signature.digest]);
      const fallbackTags = [fallbackTagOf(tree.subject.digest), fallbackTagOf(tree.sbom.digest)].sort();
      assert.deepEqual(await allTags(dst), to === 'fallback tags' ? [...fallbackTags, 'v1'].sort() : ['v1']);
    });
  }

  it('without referrers copies only the tagged graph, and pushes the root under its tag', async () => {
    const src = new MemoryTarget();
    const tree = await pushReferrerTree(src);
    const dst = new CountingTarget();
    await copy(src, 'v1', dst, { tag: 'copied' });
    assert.deepEqual(await referrerDigests(dst, tree.subject), []);
    assert.deepEqual(dst.manifestPushes, [{ digest: tree.subject.digest, tag: 'copied' }]);
  });

  it('keeps a cosign signature under its sha256-<hex>.sig tag at the destination', async () => {
    const src = new MemoryTarget();
    const subject = (await pushArtifact(src, 'subject', { tag: 'v1' })).manifest;
    const signature = (await pushCosignTag(src, subject, 'sig')).manifest;
    const dst = new MemoryTarget();
    await copy(src, 'v1', dst, { referrers: true, tag: 'v1' });
    assert.equal((await dst.resolve(`${fallbackTagOf(subject.digest)}.sig`)).digest, signature.digest);
    assert.deepEqual(
      (await listReferrers(dst, subject.digest)).map((r) => [r.descriptor.digest, r.source]),
      [[signature.digest, 'cosign-tag']],
    );
  });

  it('sends nothing again that the destination holds: a second copy pushes no blob and no manifest', async () => {
    const src = new MemoryTarget();
    await pushReferrerTree(src);
    const dst = new CountingTarget();
    const first = await copy(src, 'v1', dst, { referrers: true, tag: 'v1' });
    assert.equal(first.progress.skippedItems, 0);
    assert.equal(dst.blobPushes.length + dst.copiedManifests.length, first.progress.totalItems);
    const pushedBefore = { blobs: dst.blobPushes.length, manifests: dst.manifestPushes.length };

    const second = await copy(src, 'v1', dst, { referrers: true, tag: 'v1' });

    assert.deepEqual({ blobs: dst.blobPushes.length, manifests: dst.manifestPushes.length }, pushedBefore);
    assert.equal(second.progress.skippedItems, second.progress.totalItems, 'every node was there already');
  });

  it('does not send a blob the destination already has from another artifact, nor one shared twice in a graph', async () => {
    const src = new MemoryTarget();
    const shared = Buffer.from('a layer two artifacts share');
    const a = await pushArtifact(src, shared, { tag: 'a' });
    const b = await pushArtifact(src, shared, { tag: 'b', title: 'same bytes, other name' });
    const dst = new CountingTarget();
    await copy(src, 'a', dst);
    assert.equal(dst.blobPushes.filter((d) => d === a.layer.digest).length, 1);

    await copy(src, 'b', dst);

    assert.equal(dst.blobPushes.filter((d) => d === b.layer.digest).length, 1, 'the shared layer was sent once');
    assert.equal(dst.blobPushes.length, 2, 'the empty config and the layer, each once over both copies');
    assert.deepEqual(dst.copiedManifests, [a.manifest.digest, b.manifest.digest]);
  });

  it('refuses an index that lists itself, or indexes that list each other, naming the cycle', async () => {
    for (const edges of <Record<string, string[]>[]>[{ self: ['self'] }, { x: ['y'], y: ['x'] }]) {
      const source = cyclicSource(edges);
      const dst = new CountingTarget();
      await assert.rejects(
        copy(source, source.root(Object.keys(edges)[0]!), dst),
        (e: unknown) =>
          OciError.is(e, 'INVALID_CONTENT') && /refers to itself through its children \(a cycle\)/.test(e.message),
      );
      assert.deepEqual(dst.manifestPushes, []);
    }
  });

  it('leaves out a forged referrer cycle (a listed as referring to b, b to a): neither names the other as subject', async () => {
    const src = new MemoryTarget();
    const a = (await pushArtifact(src, 'artifact a', { tag: 'cycle-a' })).manifest;
    const b = (await pushArtifact(src, 'artifact b')).manifest;
    await forgeFallbackIndex(src, a, [b]);
    await forgeFallbackIndex(src, b, [a]);
    const dst = new CountingTarget();

    const result = await copy(src, 'cycle-a', dst, { referrers: true, tag: 'cycle-a' });

    assert.deepEqual(dst.copiedManifests, [a.digest]);
    assert.equal((await dst.resolve('cycle-a')).digest, a.digest);
    assert.deepEqual(result.notReferrers, [{ digest: b.digest, listedUnder: a.digest, source: 'fallback-tag' }]);
  });

  it('refuses a fan-out over the node cap and stops fetching and pushing once refused', async () => {
    const src = new CountingTarget();
    const branches: Descriptor[] = [];
    for (let branch = 0; branch < 30; branch++) {
      const leaves: Descriptor[] = [];
      for (let leaf = 0; leaf < 30; leaf++) leaves.push(await pushIndex(src, [], `leaf ${branch}/${leaf}`));
      branches.push(await pushIndex(src, leaves, `branch ${branch}`));
    }
    const root = await pushIndex(src, branches, 'root');
    const dst = new CountingTarget();
    src.manifestFetches = 0;

    await assert.rejects(
      copy(src, root, dst, { maxNodes: 500 }),
      (e: unknown) => OciError.is(e, 'SIZE_EXCEEDED') && /more than 500 nodes; refusing to copy it/.test(e.message),
    );
    const settled = { fetches: src.manifestFetches, pushes: dst.manifestPushes.length };
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual({ fetches: src.manifestFetches, pushes: dst.manifestPushes.length }, settled);
    assert.ok(settled.fetches < 931, `fetched ${settled.fetches} of 931 indexes before refusing`);
    assert.ok(!dst.manifestPushes.some((p) => p.digest === root.digest), 'the root was never pushed');
  });

  it('refuses referrer listings longer than the node cap before reading the listed manifests to judge them', async () => {
    const src = new CountingTarget();
    const subject = (await pushArtifact(src, 'listed a thousand times', { tag: 'v1' })).manifest;
    const forged = Array.from({ length: 1_000 }, (_, i) => ({
      mediaType: MediaType.ociManifest,
      digest: digestOf(Buffer.from(`forged ${i}`)),
      size: 200,
    }));
    await forgeFallbackIndex(src, subject, forged);
    src.manifestFetches = 0;

    await assert.rejects(
      copy(src, 'v1', new CountingTarget(), { referrers: true, maxNodes: 500 }),
      (e: unknown) =>
        OciError.is(e, 'SIZE_EXCEEDED') &&
        e.message.includes(
          `${subject.digest} lists 1000 referrers, more than the 500 a copy reads; refusing to copy it`,
        ),
    );
    // The subject and its fallback index: none of the thousand listed manifests.
    assert.ok(src.manifestFetches <= 3, `${src.manifestFetches} manifest reads`);
  });

  it('judges and copies a long referrer listing a batch at a time, never holding every listed manifest at once', async () => {
    // Events in order: each read of a listed referrer at the source, each referrer stored at the destination.
    const events: string[] = [];
    class Recording extends CountingTarget {
      override async fetchManifest(ref: string | Descriptor, options?: { signal?: AbortSignal }) {
        if (typeof ref !== 'string' && referrerDigests.has(ref.digest)) events.push(`read ${ref.digest}`);
        return super.fetchManifest(ref, options);
      }
    }
    const referrerDigests = new Set<string>();
    const src = new Recording();
    const subject = (await pushArtifact(src, 'listed 300 times', { tag: 'v1' })).manifest;
    const referrers: Descriptor[] = [];
    for (let i = 0; i < 300; i++) {
      const r = (await pushArtifact(src, `referrer ${i}`, { subject })).manifest;
      referrers.push(r);
      referrerDigests.add(r.digest);
    }
    await forgeFallbackIndex(src, subject, referrers);
    class Storing extends MemoryTarget {
      override async pushManifest(descriptor: Descriptor, bytes: Buffer, options?: { tag?: string }) {
        if (referrerDigests.has(descriptor.digest)) events.push(`stored ${descriptor.digest}`);
        return super.pushManifest(descriptor, bytes, options);
      }
    }
    await copy(src, 'v1', new Storing(), { referrers: true });
    const firstStored = events.findIndex((e) => e.startsWith('stored '));
    const lastRead = events.map((e) => e.startsWith('read ')).lastIndexOf(true);
    assert.equal(events.filter((e) => e.startsWith('stored ')).length, 300, 'every referrer copied');
    assert.ok(firstStored >= 0 && firstStored < lastRead, 'referrers were copied before the last listed one was read');
  });

  it('stops at an abort mid-walk with the ABORTED error and pushes nothing after it', async () => {
    const src = new MemoryTarget();
    const root = await pushLayers(src, 6, 1024);
    const dst = new CountingTarget();
    const controller = new AbortController();
    dst.onBlobStored = () => controller.abort();

    await assert.rejects(copy(src, 'v1', dst, { concurrency: 1, signal: controller.signal }), (e: unknown) =>
      OciError.is(e, 'ABORTED'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(dst.blobPushes.length, 1, 'only the blob stored before the abort');
    assert.deepEqual(dst.manifestPushes, []);
    assert.equal(await dst.exists(root), false);
  });

  it('does not start when its signal has already aborted', async () => {
    const src = new MemoryTarget();
    await pushLayers(src, 2, 10);
    const dst = new CountingTarget();
    await assert.rejects(copy(src, 'v1', dst, { signal: AbortSignal.abort() }), (e: unknown) =>
      OciError.is(e, 'ABORTED'),
    );
    assert.deepEqual([dst.blobPushes, dst.manifestPushes], [[], []]);
  });

  it('reports progress that adds up: every item and byte counted once, done never ahead of total', async () => {
    const src = new MemoryTarget();
    const root = await pushLayers(src, 3, 300 * 1024);
    const dst = new CountingTarget();
    const events: CopyProgress[] = [];

    const { progress } = await copy(src, 'v1', dst, { onProgress: (p) => events.push({ ...p }) });

    const layers = 3 * 300 * 1024;
    assert.deepEqual(progress, {
      totalItems: 5,
      doneItems: 5,
      skippedItems: 0,
      totalBytes: layers + EMPTY_DESCRIPTOR.size + root.size,
      doneBytes: layers + EMPTY_DESCRIPTOR.size + root.size,
    });
    assert.deepEqual(events.at(-1), progress);
    assert.ok(events.length > 3 * 4, `${events.length} events: byte progress while layers stream`);
    for (const [i, e] of events.entries()) {
      assert.ok(e.doneItems <= e.totalItems && e.doneBytes <= e.totalBytes, JSON.stringify(e));
      if (i > 0) assert.ok(e.doneBytes >= events[i - 1]!.doneBytes, 'done bytes never go back');
    }

    const again = await copy(src, 'v1', dst);
    assert.deepEqual(
      again.progress,
      { ...progress, skippedItems: 5 },
      'the root is there: its children are checked, each found there and skipped',
    );
  });
});

/** Pushes an index of `manifests` (annotated with `name` so each is distinct) and returns its descriptor. */
async function pushIndex(target: MemoryTarget, manifests: Descriptor[], name: string): Promise<Descriptor> {
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests, annotations: { name } };
  const bytes = Buffer.from(JSON.stringify(index));
  const descriptor = manifestDescriptor(bytes, MediaType.ociIndex);
  await target.pushManifest(descriptor, bytes);
  return descriptor;
}
