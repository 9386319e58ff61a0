// copyTags, the engine of backup and restore: which tags it takes, a blob shared by many tags fetched once, a
// summary that counts each node once by kind, and a dry run that plans the same walk without moving a byte.
import * as assert from 'node:assert/strict';
import {
  copyTags,
  DryRunTarget,
  formatCopyTagsSummary,
  plannedTagMoves,
  selectTags,
  tagIfUnchanged,
  type TagEvent,
  tagsMoved,
} from '../../../src/core/graph';
import { TAG_RECORDS_KEPT, tagsToCopy } from '../../../src/core/graph/copyTags';
import { DigestSet } from '../../../src/core/graph/digestSet';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { MemoryTarget } from '../../../src/core/memory';
import { attachBytes } from '../../../src/core/supplyChain';
import { type Cancellable, digestOf, EMPTY_JSON } from '../../../src/core/content';
import { type Descriptor, EMPTY_DESCRIPTOR, isManifestOrIndex, OciError } from '../../../src/core/oci';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';
import { CountingTarget } from './countingTarget';

/** `count` tags, each an artifact of one shared layer plus one layer of its own. */
async function pushSharingTags(target: MemoryTarget, count: number): Promise<void> {
  const shared = Buffer.alloc(64 * 1024, 1);
  const sharedLayer = {
    mediaType: 'application/vnd.stowage.test.layer',
    digest: digestOf(shared),
    size: shared.length,
  };
  await target.pushBlob(sharedLayer, bytesContent(shared));
  await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
  for (let i = 0; i < count; i++) {
    const own = Buffer.from(`layer of tag ${i}`);
    const ownLayer = { mediaType: 'application/vnd.stowage.test.layer', digest: digestOf(own), size: own.length };
    await target.pushBlob(ownLayer, bytesContent(own));
    const bytes = artifactManifest([sharedLayer, ownLayer]);
    await target.pushManifest(manifestDescriptor(bytes), bytes, { tag: `v${i}` });
  }
}

describe('copyTags (backup and restore)', () => {
  it('takes every tag but referrer tags when none is named, filters by glob, and refuses a named tag that is missing', async () => {
    const src = new MemoryTarget();
    const tree = await pushReferrerTree(src, 'v1');
    await pushReferrerTree(src, 'v2.0');
    await pushReferrerTree(src, 'latest');
    assert.ok((await allTags(src)).includes(fallbackTagOf(tree.subject.digest)), 'the fixture has fallback tags');
    assert.deepEqual(await selectTags(src, {}), ['latest', 'v1', 'v2.0']);
    assert.deepEqual(await selectTags(src, { patterns: ['v*'] }), ['v1', 'v2.0']);
    assert.deepEqual(await selectTags(src, { patterns: ['v?', 'lat*'] }), ['latest', 'v1']);
    assert.deepEqual(await selectTags(src, { tags: ['v1', 'v1'] }), ['v1']);
    // A pattern that matches no tag is refused with the tags there are (a typo, not a wish to copy nothing).
    await assert.rejects(selectTags(src, { patterns: ['V*', 'zz?'] }), {
      code: 'NOT_FOUND',
      message: `a tag matching "V*" or "zz?" in ${src.location} not found (its tags: latest, v1, v2.0)`,
    });
    assert.deepEqual(await selectTags(new MemoryTarget(), { patterns: ['v*'] }), [], 'an empty source is not an error');
    await assert.rejects(
      selectTags(src, { tags: ['v1', 'v9'] }),
      (err: unknown) => OciError.is(err, 'NOT_FOUND') && /tag "v9"/.test((err as Error).message),
    );
  });

  it('refuses, before anything moves, a listed name that is not a tag (a layout may hold any), shown without its control characters', async () => {
    const src = new (class extends MemoryTarget {
      override async *listTags(): AsyncIterable<string[]> {
        yield ['v1', 'v2\u001b]0;PWNED\u0007'];
      }
    })();
    const dst = new MemoryTarget();
    await assert.rejects(copyTags(src, dst, {}), (err: unknown) => {
      const message = (err as Error).message;
      assert.ok(OciError.is(err, 'INVALID_REFERENCE'), message);
      assert.match(message, /names a manifest "v2⟨U\+001B⟩\]0;PWNED⟨U\+0007⟩", which is not a tag a copy can write/);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(message, /[\u0000-\u001f]/);
      return true;
    });
    assert.deepEqual(
      await selectTags(src, {}),
      ['v1', 'v2\u001b]0;PWNED\u0007'],
      'listed as it is, to be shown escaped',
    );
    assert.deepEqual(await selectTags(src, { patterns: ['v1'] }), ['v1'], 'left out by a pattern, it is no obstacle');
  });

  it('copies a tag listed on several pages once (a registry that repeats its pages): one resolve, one summary row', async () => {
    const resolved: string[] = [];
    const src = new (class extends MemoryTarget {
      override async *listTags(): AsyncIterable<string[]> {
        yield ['v1', 'v2'];
        yield ['v1', 'v2'];
        yield ['v2'];
      }
      override resolve(reference: string, options?: Cancellable): Promise<Descriptor> {
        resolved.push(reference);
        return super.resolve(reference, options);
      }
    })();
    await pushSharingTags(src, 3);
    assert.deepEqual(await selectTags(src, {}), ['v1', 'v2']);
    resolved.length = 0;
    const summary = await copyTags(src, new MemoryTarget(), {});
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['v1', 'v2'],
    );
    assert.deepEqual(resolved, ['v1', 'v2']);
  });

  it('moves no tag the user was not asked about: a move the source or the destination sprang after the question is refused before that tag moves', async () => {
    const src = new MemoryTarget();
    await pushSharingTags(src, 3);
    const dst = new MemoryTarget();
    await copyTags(src, dst, { tags: ['v0', 'v1'] });
    // The destination's v1 and v2 now name v0's artifact; the source names v1 and v2 as before.
    const v0 = await dst.resolve('v0');
    await dst.tag(v0, 'v1');
    await dst.tag(v0, 'v2');
    const moves = await plannedTagMoves(src, dst, ['v1']);
    assert.deepEqual(moves, [{ tag: 'v1', from: v0.digest, to: (await src.resolve('v1')).digest }]);
    // Agreed: v1 moves. v2 was not asked about (the source pointed it elsewhere after the question): refused.
    await assert.rejects(copyTags(src, dst, { tags: ['v1', 'v2'], movesAgreed: moves }), (err: unknown) => {
      assert.ok(OciError.is(err, 'CONFLICT'), String(err));
      assert.match(
        (err as Error).message,
        /^tag v2 changed since the question and was left as it is \(it would move sha256:\w{12} → sha256:\w{12}; not asked about\)/,
      );
      return true;
    });
    assert.equal((await dst.resolve('v1')).digest, (await src.resolve('v1')).digest, 'the agreed move was made');
    assert.equal((await dst.resolve('v2')).digest, v0.digest, 'the move nobody agreed to was not');
    // The source answers another digest for the agreed tag than it did when asked: refused too.
    await dst.tag(v0, 'v1');
    await assert.rejects(
      copyTags(src, dst, { tags: ['v1'], movesAgreed: [{ ...moves[0]!, to: (await src.resolve('v2')).digest }] }),
      /tag v1 changed since the question .*; asked: sha256:\w{12} → sha256:\w{12}\): copy again to be asked$/,
    );
    assert.equal((await dst.resolve('v1')).digest, v0.digest);
    // Without movesAgreed (the CLI, which asks nothing), moves are made and named in the summary.
    const summary = await copyTags(src, dst, { tags: ['v1', 'v2'] });
    assert.deepEqual(
      summary.tags.map((t) => t.replaced),
      [v0.digest, v0.digest],
    );
  });

  it('tags one copied artifact only if the tag still names what it named at the question (tagIfUnchanged)', async () => {
    const store = new MemoryTarget();
    await pushSharingTags(store, 3);
    const [a, b, c] = await Promise.all(['v0', 'v1', 'v2'].map((t) => store.resolve(t)));
    // Free at the question and still free: tagged. Already naming it: nothing to agree to.
    await tagIfUnchanged(store, a!, 'fresh', undefined);
    assert.equal((await store.resolve('fresh')).digest, a!.digest);
    await tagIfUnchanged(store, a!, 'fresh', undefined);
    // Agreed v1: b → a, and v1 still names b: moved.
    await tagIfUnchanged(store, a!, 'v1', { tag: 'v1', from: b!.digest, to: a!.digest });
    assert.equal((await store.resolve('v1')).digest, a!.digest);
    // Agreed v2: b → a, but v2 names c now (pushed meanwhile): refused, left as it is.
    await assert.rejects(
      tagIfUnchanged(store, a!, 'v2', { tag: 'v2', from: b!.digest, to: a!.digest }),
      (err: unknown) => OciError.is(err, 'CONFLICT') && /tag v2 changed since the question/.test(String(err)),
    );
    assert.equal((await store.resolve('v2')).digest, c!.digest);
    // Free at the question, taken meanwhile: refused too ("not asked about").
    await store.tag(c!, 'taken');
    await assert.rejects(tagIfUnchanged(store, a!, 'taken', undefined), /not asked about/);
    assert.equal((await store.resolve('taken')).digest, c!.digest);
  });

  it('fetches a layer shared by 50 tags once, and counts every node once in the summary', async () => {
    const src = new CountingTarget();
    await pushSharingTags(src, 50);
    const dst = new MemoryTarget();
    const events: TagEvent[] = [];
    const summary = await copyTags(src, dst, { onTag: (e) => events.push(e) });

    assert.equal(src.blobFetches, 1 + 1 + 50, 'shared layer and empty config once each, own layers once');
    assert.deepEqual(
      { tags: summary.tags.length, manifests: summary.manifests, blobs: summary.blobs, skipped: summary.skipped },
      { tags: 50, manifests: 50, blobs: 52, skipped: 0 },
    );
    assert.equal(events.length, 100, 'a start and a done per tag');
    assert.deepEqual(events[1], {
      tag: 'v0',
      position: 1,
      count: 50,
      phase: 'done',
      digest: summary.tags[0]!.digest,
      referrers: 0,
    });

    const again = await copyTags(src, dst, {});
    assert.deepEqual({ moved: again.manifests + again.blobs, skipped: again.skipped }, { moved: 0, skipped: 102 });
  });

  it('copies manifests named by digest after the tags, untagged at the destination, and only those when no tag is named', async () => {
    const src = new CountingTarget();
    await pushSharingTags(src, 3);
    const v1 = await src.resolve('v1');
    const v2 = await src.resolve('v2');
    const dst = new MemoryTarget();
    const events: TagEvent[] = [];
    const onlyDigest = await copyTags(src, dst, { digests: [v1], onTag: (e) => events.push(e) });
    assert.deepEqual(onlyDigest.tags, [], 'no tag copied besides');
    assert.deepEqual(onlyDigest.untagged, [{ digest: v1.digest, referrers: 0 }]);
    assert.deepEqual(await allTags(dst), [], 'no tag names it at the destination');
    assert.ok(await dst.exists(v1));
    assert.deepEqual(
      events.map((e) => [e.tag, e.untagged, e.phase, e.position, e.count]),
      [
        [v1.digest, true, 'start', 1, 1],
        [v1.digest, true, 'done', 1, 1],
      ],
    );

    const fetches = src.blobFetches;
    const both = await copyTags(src, dst, { tags: ['v0'], digests: [v2] });
    assert.deepEqual(
      both.tags.map((t) => t.tag),
      ['v0'],
    );
    assert.deepEqual(
      both.untagged.map((u) => u.digest),
      [v2.digest],
    );
    assert.equal(src.blobFetches - fetches, 2, 'the shared layer and config were there: only the two own layers');
    assert.deepEqual(await allTags(dst), ['v0']);
  });

  it('sums a copy up in words, naming what was skipped only when something was', async () => {
    const src = new MemoryTarget();
    await pushSharingTags(src, 2);
    const dst = new MemoryTarget();
    const first = await copyTags(src, dst, { tags: ['v0'] });
    assert.equal(formatCopyTagsSummary(first), '1 manifest, 0 referrers, 3 blobs, 65 KiB');
    const second = await copyTags(src, dst, { tags: ['v1'] });
    assert.match(
      formatCopyTagsSummary(second),
      /^1 manifest, 0 referrers, 1 blob, \d+ B; 2 already there \(64 KiB\) skipped$/,
    );
  });

  it('counts referrers apart from manifests, per tag and in all', async () => {
    const src = new MemoryTarget();
    await pushReferrerTree(src, 'v1');
    const summary = await copyTags(src, new MemoryTarget(), { referrers: true });
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.referrers]),
      [['v1', 3]],
    );
    assert.equal(summary.manifests, 1);
    assert.equal(summary.referrers, 3);
  });

  it('keeps the first TAG_RECORDS_KEPT tag records and counts every tag (the summary line); every record with everyTag', async () => {
    const count = TAG_RECORDS_KEPT + 30;
    const src = new MemoryTarget();
    await pushSharingTags(src, count);
    const dst = new MemoryTarget();
    // Twelve tags the destination names another digest with: moved, and the line names the first ten (in order).
    const other = await pushArtifact(dst, 'another artifact');
    const taken = (await selectTags(src, {})).slice(-12);
    for (const tag of taken) await dst.tag(other.manifest, tag);
    const summary = await copyTags(src, dst, {});
    assert.equal(summary.tags.length, TAG_RECORDS_KEPT);
    assert.deepEqual(summary.tally, {
      done: count,
      unchanged: 0,
      replaced: 12,
      replacedFirst: taken.slice(0, 10),
    });
    assert.equal(tagsMoved(summary), count);
    assert.ok(
      formatCopyTagsSummary(summary).endsWith(
        `; 12 tags moved from another digest: ${taken.slice(0, 10).join(', ')}, …`,
      ),
      formatCopyTagsSummary(summary),
    );
    const again = await copyTags(src, dst, {});
    assert.equal(tagsMoved(again), 0);
    assert.match(formatCopyTagsSummary(again), new RegExp(`; ${count} tags unchanged$`));
    const every = await copyTags(src, new MemoryTarget(), { everyTag: true });
    assert.deepEqual(
      every.tags.map((t) => t.tag),
      await selectTags(src, {}),
      'every tag, in order',
    );
  });

  it('keeps of the source listing only what a copy asks of it: nothing without referrers, its referrer tags with', async () => {
    const src = new MemoryTarget();
    const tree = await pushReferrerTree(src, 'v1');
    await pushSharingTags(src, 3);
    const without = await tagsToCopy(src, {});
    assert.deepEqual(without, { tags: ['v0', 'v1', 'v2'], listed: undefined });
    const withReferrers = await tagsToCopy(src, { referrers: true });
    assert.deepEqual(withReferrers.tags, ['v0', 'v1', 'v2']);
    const referrerTags = (await allTags(src)).filter((t) => t.startsWith('sha256-'));
    assert.ok(referrerTags.includes(fallbackTagOf(tree.subject.digest)));
    // Kept as keys (DigestSet), not as strings: each referrer tag answers yes, the image tags no.
    assert.ok(withReferrers.listed instanceof DigestSet, 'the referrer tags are kept as strings');
    assert.equal(withReferrers.listed!.size, referrerTags.length);
    for (const tag of referrerTags) assert.ok(withReferrers.listed!.has(tag), tag);
    for (const tag of withReferrers.tags) assert.ok(!withReferrers.listed!.has(tag), tag);
  });

  it('a dry run plans the same walk: same counts as the real run, no byte fetched, nothing stored', async () => {
    const src = new CountingTarget();
    await pushReferrerTree(src, 'v1');
    await pushSharingTags(src, 3);
    const real = new MemoryTarget();
    const existing = new MemoryTarget();
    await copyTags(src, existing, { tags: ['v0'] });

    const fetchesBefore = src.blobFetches;
    const plan = await copyTags(src, new DryRunTarget(existing, 'memory'), { referrers: true });
    assert.equal(src.blobFetches, fetchesBefore, 'a dry run fetched blob bytes');
    assert.deepEqual(await allTags(existing), ['v0'], 'a dry run changed the destination');

    const done = await copyTags(src, existing, { referrers: true });
    for (const key of ['manifests', 'referrers', 'blobs', 'bytes'] as const) assert.equal(plan[key], done[key], key);
    assert.ok(plan.skipped > 0, 'what the destination holds is planned as skipped');
    assert.ok(
      (await copyTags(src, real, { referrers: true })).blobs > plan.blobs,
      'into an empty store, more would move',
    );
  });
});

/**
 * A store that vouches for the graphs of the manifests it holds, as a registry does (WholeGraphKeeper), recording
 * what a copy asks of it: which manifests and blobs it asked about and how many tags it resolved.
 */
class WholeGraphTarget extends CountingTarget {
  readonly keepsWholeGraphs = true as const;
  readonly asked: { manifests: number; blobs: number; resolves: number } = { manifests: 0, blobs: 0, resolves: 0 };

  override async exists(descriptor: Descriptor, options?: Cancellable): Promise<boolean> {
    if (isManifestOrIndex(descriptor.mediaType)) this.asked.manifests++;
    else this.asked.blobs++;
    return super.exists(descriptor, options);
  }

  override async resolve(tagOrDigest: string, options?: Cancellable): Promise<Descriptor> {
    this.asked.resolves++;
    return super.resolve(tagOrDigest, options);
  }

  forget(): void {
    Object.assign(this.asked, { manifests: 0, blobs: 0, resolves: 0 });
    this.manifestPushes.length = 0;
    this.blobPushes.length = 0;
  }
}

describe('copyTags into a store that keeps whole graphs (a registry): a mirror rerun', () => {
  it('costs one tag lookup a side per tag when nothing changed: no blob asked about, no manifest read or written', async () => {
    const src = new CountingTarget();
    await pushSharingTags(src, 3);
    const dst = new WholeGraphTarget();
    await copyTags(src, dst, {});
    dst.forget();
    const fetches = { manifests: src.manifestFetches, blobs: src.blobFetches };

    const events: TagEvent[] = [];
    const again = await copyTags(src, dst, { onTag: (e) => events.push(e) });

    assert.deepEqual(dst.asked, { manifests: 0, blobs: 0, resolves: 3 });
    assert.deepEqual({ manifests: src.manifestFetches, blobs: src.blobFetches }, fetches, 'the source was read');
    assert.deepEqual(dst.manifestPushes, [], 'a tag was written again');
    assert.deepEqual(
      again.tags.map((t) => [t.tag, t.unchanged]),
      [
        ['v0', true],
        ['v1', true],
        ['v2', true],
      ],
    );
    assert.equal(events.filter((e) => e.phase === 'done' && e.unchanged).length, 3);
    assert.match(
      formatCopyTagsSummary(again),
      /^0 manifests, 0 referrers, 0 blobs, 0 B; 3 already there \(.*\) skipped; 3 tags unchanged$/,
    );
  });

  it('moves a tag that names another digest upstream, naming the old one, and leaves the others unchanged', async () => {
    const src = new MemoryTarget();
    await pushSharingTags(src, 3);
    const dst = new WholeGraphTarget();
    await copyTags(src, dst, {});
    const old = (await dst.resolve('v1')).digest;
    const bytes = artifactManifest([EMPTY_DESCRIPTOR]);
    await src.pushManifest(manifestDescriptor(bytes), bytes, { tag: 'v1' });
    dst.forget();

    const again = await copyTags(src, dst, {});

    assert.equal((await dst.resolve('v1')).digest, manifestDescriptor(bytes).digest);
    assert.deepEqual(
      again.tags.map((t) => [t.tag, t.replaced, t.unchanged]),
      [
        ['v0', undefined, true],
        ['v1', old, undefined],
        ['v2', undefined, true],
      ],
    );
    assert.deepEqual(dst.manifestPushes, [{ digest: manifestDescriptor(bytes).digest, tag: 'v1' }]);
    assert.equal(dst.asked.blobs, 1, 'the new manifest’s one blob (the empty config) asked about, nothing else');
  });

  it('with referrers, walks the referrer graph by manifest only (no blob asked about) and copies a referrer added upstream', async () => {
    const src = new MemoryTarget();
    const tree = await pushReferrerTree(src, 'v1');
    const dst = new WholeGraphTarget();
    await copyTags(src, dst, { referrers: true });
    dst.forget();

    const same = await copyTags(src, dst, { referrers: true });
    assert.equal(dst.asked.blobs, 0, 'blobs of manifests the destination holds were asked about');
    assert.deepEqual(dst.manifestPushes, [], 'nothing was written');
    assert.equal(same.tags[0]!.unchanged, true);
    assert.equal(same.tags[0]!.referrers, 3, 'the referrers were walked');

    const timestamp = await attachBytes(src, tree.signature, {
      artifactType: 'application/vnd.example.timestamp',
      documents: [{ title: 't.txt', mediaType: 'text/plain', bytes: Buffer.from('a new countersignature') }],
    });
    dst.forget();
    const grown = await copyTags(src, dst, { referrers: true });
    assert.ok(await dst.exists(timestamp), 'the referrer added upstream was not copied');
    assert.equal(grown.referrers, 1);
    assert.equal(grown.tags[0]!.unchanged, undefined, 'a tag whose graph grew is not unchanged');
  });
});

async function allTags(target: MemoryTarget): Promise<string[]> {
  const tags: string[] = [];
  for await (const page of target.listTags()) tags.push(...page);
  return tags.sort();
}
