// Planning a clean-up by tag: which manifests the globs, the age and the number kept pick, and why the others stay
// (a tag the globs do not pick on the same manifest, an unknown age, among the newest, too young).
import * as assert from 'node:assert/strict';
import { planPrune, recheckPrune, type PrunePlan } from '../../../src/core/graph';
import { MemoryTarget } from '../../../src/core/memory';
import { bytesContent, digestOf } from '../../../src/core/content';
import { Annotation, type Descriptor, MediaType } from '../../../src/core/oci';
import { parseAge } from '../../../src/cli/tagCleanup';

const NOW = Date.parse('2026-12-07T00:00:00Z');
const DAY = 86_400_000;

/** A manifest (distinct by `name`) made `daysAgo` days before NOW (undefined: it does not say), under `tags`. */
async function pushMade(target: MemoryTarget, name: string, daysAgo: number | undefined, ...tags: string[]) {
  const empty = Buffer.from('{}');
  const config = { mediaType: MediaType.ociEmpty, digest: digestOf(empty), size: 2 };
  await target.pushBlob(config, bytesContent(empty));
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.example.build',
      config,
      layers: [],
      annotations: {
        'org.example.name': name,
        ...(daysAgo !== undefined && { [Annotation.created]: new Date(NOW - daysAgo * DAY).toISOString() }),
      },
    }),
  );
  const descriptor = { mediaType: MediaType.ociManifest, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes);
  for (const tag of tags) await target.tag(descriptor, tag);
  return descriptor;
}

/** An index of `children`, tagged `tags`. */
async function pushIndex(target: MemoryTarget, children: Descriptor[], ...tags: string[]) {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: children }));
  const descriptor = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
  await target.pushManifest(descriptor, bytes);
  for (const tag of tags) await target.tag(descriptor, tag);
  return descriptor;
}

const tagsOf = (entries: PrunePlan['doomed']) => entries.map((e) => e.tags.join('+'));
const reasons = (plan: PrunePlan) => plan.kept.map((k) => `${k.tags.join('+')}: ${k.reason}`);

describe('planPrune: a clean-up by tag', () => {
  let target: MemoryTarget;
  beforeEach(async () => {
    target = new MemoryTarget();
    await pushMade(target, 'one', 40, 'pr-1');
    await pushMade(target, 'two', 20, 'pr-2', 'pr-2-debug');
    await pushMade(target, 'three', 10, 'pr-3', 'latest');
    await pushMade(target, 'four', 2, 'pr-4');
    await pushMade(target, 'five', undefined, 'pr-5');
    await pushMade(target, 'main', 1, 'main');
  });

  it('picks by glob; a manifest also under a tag the globs do not pick stays, named', async () => {
    const plan = await planPrune(target, { patterns: ['pr-*'], now: NOW });
    assert.deepEqual(tagsOf(plan.doomed), ['pr-1', 'pr-2+pr-2-debug', 'pr-4', 'pr-5'], 'by tag when no age is asked');
    assert.deepEqual(reasons(plan), ['pr-3: also tagged latest, which the patterns do not pick']);
  });

  it('--older-than: only the old go, oldest first; an unknown age and a young one stay', async () => {
    const plan = await planPrune(target, { patterns: ['pr-*'], olderThanMs: 14 * DAY, now: NOW });
    assert.deepEqual(tagsOf(plan.doomed), ['pr-1', 'pr-2+pr-2-debug']);
    assert.deepEqual(reasons(plan), [
      'pr-3: also tagged latest, which the patterns do not pick',
      'pr-4: made 2 days ago',
      'pr-5: it does not say when it was made',
    ]);
    assert.equal(plan.doomed[0]!.created, NOW - 40 * DAY);
  });

  it('--keep: the newest n stay, the rest go whatever their age; with --older-than both must hold', async () => {
    const kept = await planPrune(target, { patterns: ['pr-*'], keep: 1, now: NOW });
    assert.deepEqual(tagsOf(kept.doomed), ['pr-1', 'pr-2+pr-2-debug']);
    assert.ok(reasons(kept).includes('pr-4: among the newest 1'), reasons(kept).join('\n'));
    const both = await planPrune(target, { patterns: ['pr-1', 'pr-2*'], keep: 1, olderThanMs: 30 * DAY, now: NOW });
    assert.deepEqual(tagsOf(both.doomed), ['pr-1']);
    assert.deepEqual(reasons(both), ['pr-2+pr-2-debug: among the newest 1']);
    const none = await planPrune(target, { patterns: ['pr-*'], keep: 10, now: NOW });
    assert.deepEqual(none.doomed, []);
  });

  it('a time in the future is said so, and a glob that matches nothing is an error naming the tags', async () => {
    await pushMade(target, 'skewed', -3, 'pr-9');
    const plan = await planPrune(target, { patterns: ['pr-9'], olderThanMs: DAY, now: NOW });
    assert.deepEqual(reasons(plan), ['pr-9: it says it was made in the future']);
    await assert.rejects(planPrune(target, { patterns: ['rc-*'], now: NOW }), /a tag matching "rc-\*"/);
  });

  it('a time in the future takes no place among the newest: --keep keeps the newest that say a past time', async () => {
    await pushMade(target, 'claims the future', -300, 'pr-9');
    const plan = await planPrune(target, { patterns: ['pr-*'], keep: 1, now: NOW });
    assert.deepEqual(reasons(plan), [
      'pr-3: also tagged latest, which the patterns do not pick',
      'pr-4: among the newest 1',
      'pr-5: it does not say when it was made',
      'pr-9: it says it was made in the future',
    ]);
  });

  it("a reproducible build's fixed time (1970, 1980) is no age: --older-than keeps it", async () => {
    await pushMade(target, 'epoch', (NOW - 0) / DAY, 'pr-1970');
    await pushMade(target, 'buildpacks', (NOW - Date.parse('1980-01-01T00:00:01Z')) / DAY, 'pr-1980');
    const plan = await planPrune(target, { patterns: ['pr-19*'], olderThanMs: 14 * DAY, now: NOW });
    assert.deepEqual(plan.doomed, []);
    assert.deepEqual(reasons(plan), [
      'pr-1970: it says it was made in 1970, a fixed time, not when it was built',
      'pr-1980: it says it was made in 1980, a fixed time, not when it was built',
    ]);
  });

  it('a manifest an index that stays holds, through a nested index, stays; the index going, it goes too', async () => {
    const amd = await pushMade(target, 'amd64', 30, 'pr-7-amd64');
    const arm = await pushMade(target, 'arm64', 30, 'pr-7-arm64');
    const inner = await pushIndex(target, [arm]);
    await pushIndex(target, [amd, inner], 'release');
    const plan = await planPrune(target, { patterns: ['pr-7-*'], now: NOW });
    assert.deepEqual(plan.doomed, []);
    assert.deepEqual(reasons(plan), [
      'pr-7-amd64: held by the index tagged release, which stays',
      'pr-7-arm64: held by the index tagged release, which stays',
    ]);
    await pushIndex(target, [amd, arm], 'pr-7');
    const both = await planPrune(target, { patterns: ['pr-7*'], olderThanMs: DAY, now: NOW });
    assert.deepEqual(tagsOf(both.doomed), [], 'release still holds them; pr-7 says no age');
    const all = await planPrune(target, { patterns: ['pr-7*', 'release'], now: NOW });
    assert.deepEqual(tagsOf(all.doomed), ['pr-7', 'pr-7-amd64', 'pr-7-arm64', 'release']);
  });

  it('rechecked before deleting: a manifest tagged, or taken into a tagged index, since the plan was made stays', async () => {
    const plan = await planPrune(target, { patterns: ['pr-*'], olderThanMs: 7 * DAY, now: NOW });
    assert.deepEqual(tagsOf(plan.doomed), ['pr-1', 'pr-2+pr-2-debug']);
    const unchanged = await recheckPrune(target, plan);
    assert.deepEqual(unchanged, plan);
    // Meanwhile: `stable` on pr-1's build, and an index tagged `bundle` holding pr-2's.
    await target.tag(plan.doomed[0]!.descriptor, 'stable');
    await pushIndex(target, [plan.doomed[1]!.descriptor], 'bundle');
    const rechecked = await recheckPrune(target, plan);
    assert.deepEqual(rechecked.doomed, []);
    assert.deepEqual(reasons(rechecked).slice(0, 2), [
      'pr-1: tagged stable since the plan was made',
      'pr-2+pr-2-debug: held by the index tagged bundle, tagged since the plan was made',
    ]);
    assert.equal(rechecked.kept.length, plan.kept.length + 2);
  });

  it('reads ages as 30m, 12h, 14d, 2w and refuses anything else', () => {
    assert.equal(parseAge('30m'), 30 * 60_000);
    assert.equal(parseAge('12h'), 12 * 3_600_000);
    assert.equal(parseAge('14d'), 14 * DAY);
    assert.equal(parseAge('2w'), 14 * DAY);
    for (const bad of ['14', '1.5d', '-1d', '3y', 'd'])
      assert.throws(() => parseAge(bad), /--older-than takes an age such as 30m, 12h, 14d or 2w/);
  });
});
