// Referrers over in-memory stores: the fallback index the graph code keeps for a store without a referrers API
// (one index per subject, entries added and removed, the tag gone with the last one), a store with the API left
// alone, and delete with referrers taking every index entry of what it deletes.
import * as assert from 'node:assert/strict';
import { attachBytes } from '../../../src/core/supplyChain';
import { deleteArtifact, indexReferrer, listReferrers, planDelete } from '../../../src/core/graph';
import { fallbackTagOf, fetchFallbackIndex } from '../../../src/core/graph/referrers';
import { MemoryTarget } from '../../../src/core/memory';
import { type Descriptor, OciError } from '../../../src/core/oci';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { pushArtifact } from '../../helpers/sampleArtifact';
import { allTags, CountingTarget } from './countingTarget';

const attach = (target: MemoryTarget, subject: Descriptor, text: string, artifactType = 'application/vnd.example') =>
  attachBytes(target, subject, {
    artifactType,
    documents: [{ title: `${text}.txt`, mediaType: 'text/plain', bytes: Buffer.from(text) }],
  });

const indexed = async (target: MemoryTarget, subject: Descriptor) =>
  (await fetchFallbackIndex(target, subject.digest))?.manifests.map((d) => d.digest).sort();

describe('referrers: the fallback index over in-memory stores', () => {
  it('two referrers attached to one subject share one fallback index that lists both, with their artifact types', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const sbom = await attach(target, subject, 'sbom', 'application/spdx+json');
    const notes = await attach(target, subject, 'notes');

    assert.deepEqual(await allTags(target), [fallbackTagOf(subject.digest), 'v1'].sort());
    assert.deepEqual(await indexed(target, subject), [sbom.digest, notes.digest].sort());
    const found = await listReferrers(target, subject.digest);
    assert.deepEqual(
      found.map((r) => r.source),
      ['fallback-tag', 'fallback-tag'],
    );
    assert.deepEqual(
      (await listReferrers(target, subject.digest, { artifactType: 'application/spdx+json' })).map(
        (r) => r.descriptor.digest,
      ),
      [sbom.digest],
    );
  });

  it('attaching the same referrer again keeps one entry, and concurrent attaches all land in the index', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const once = await attach(target, subject, 'same');
    assert.equal((await attach(target, subject, 'same')).digest, once.digest);
    assert.deepEqual(await indexed(target, subject), [once.digest]);

    const many = await Promise.all(Array.from({ length: 8 }, (_, i) => attach(target, subject, `parallel ${i}`)));
    assert.deepEqual(await indexed(target, subject), [once, ...many].map((d) => d.digest).sort());
  });

  it('deleting one referrer takes it out of the index; deleting the last removes the fallback tag', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const first = await attach(target, subject, 'first');
    const second = await attach(target, subject, 'second');

    await deleteArtifact(target, await planDelete(target, first));
    assert.deepEqual(await indexed(target, subject), [second.digest]);
    assert.equal(await target.exists(first), false);

    await deleteArtifact(target, await planDelete(target, second));
    assert.equal(await indexed(target, subject), undefined);
    assert.deepEqual(await allTags(target), ['v1'], 'the fallback tag went with its last entry');
    assert.deepEqual(await listReferrers(target, subject.digest), []);
  });

  it('with a referrers API, attaching writes no fallback tag and referrers come from the API', async () => {
    const target = new CountingTarget({ referrersApi: true });
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const sbom = await attach(target, subject, 'sbom');

    assert.deepEqual(await allTags(target), ['v1']);
    assert.deepEqual(
      target.manifestPushes.map((p) => p.digest),
      [subject.digest, sbom.digest],
    );
    assert.deepEqual(
      (await listReferrers(target, subject.digest)).map((r) => [r.descriptor.digest, r.source]),
      [[sbom.digest, 'api']],
    );
    await deleteArtifact(target, await planDelete(target, sbom));
    assert.deepEqual(await listReferrers(target, subject.digest), []);
  });

  it('lists from one place only when asked (--distribution-spec): the API, or the fallback tag', async () => {
    const target = new CountingTarget({ referrersApi: true });
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const sbom = await attach(target, subject, 'sbom');
    // An older client also listed this one under the fallback tag.
    const old = await attach(target, subject, 'old');
    const { manifest } = await target.fetchManifest(old);
    await indexReferrer(target, old, manifest, false);
    const listed = async (only?: 'api' | 'fallback-tag') =>
      (await listReferrers(target, subject.digest, { only })).map((r) => [r.descriptor.digest, r.source]).sort();
    assert.deepEqual(
      await listed(),
      [
        [old.digest, 'api'],
        [sbom.digest, 'api'],
      ].sort(),
    );
    assert.deepEqual(await listed('fallback-tag'), [[old.digest, 'fallback-tag']]);
    assert.deepEqual(
      await listed('api'),
      [
        [old.digest, 'api'],
        [sbom.digest, 'api'],
      ].sort(),
    );
    const tagOnly = new MemoryTarget();
    const plainSubject = (await pushArtifact(tagOnly, 'subject', { tag: 'v1' })).manifest;
    await attach(tagOnly, plainSubject, 'notes');
    assert.deepEqual(await listReferrers(tagOnly, plainSubject.digest, { only: 'api' }), [], 'no API, nothing there');
  });

  it('lists no referrers from a fallback tag that names a manifest, and attach refuses to overwrite that tag', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    await pushArtifact(target, 'not an index', { tag: fallbackTagOf(subject.digest) });
    assert.deepEqual(await listReferrers(target, subject.digest), []);
    await assert.rejects(
      attach(target, subject, 'sbom'),
      (e: unknown) =>
        OciError.is(e, 'INVALID_CONTENT') &&
        e.message.includes(fallbackTagOf(subject.digest)) &&
        /should name a referrers index .*not overwriting it/.test(e.message),
    );
  });
});

describe('deleteArtifact over in-memory stores', () => {
  for (const referrersApi of [false, true]) {
    it(`deletes a subject with referrers of referrers, deepest first, leaving no tag but its own (${referrersApi ? 'referrers API' : 'fallback tags'})`, async () => {
      const target = new MemoryTarget({ referrersApi });
      const other = (await pushArtifact(target, 'unrelated', { tag: 'other' })).manifest;
      const tree = await pushReferrerTree(target);
      const plan = await planDelete(target, tree.subject);
      assert.equal(plan.referrers[0]!.digest, tree.signature.digest, 'the signature of the SBOM is two levels down');

      const { deleted } = await deleteArtifact(target, plan, { withReferrers: true });

      assert.equal(deleted.length, 4);
      for (const gone of [tree.subject, tree.sbom, tree.signature, tree.notes])
        assert.equal(await target.exists(gone), false, gone.digest);
      assert.deepEqual(await allTags(target), ['other']);
      assert.equal(await target.exists(other), true);
    });
  }

  it('refuses to delete with referrers a chain deeper than it walks, and deletes nothing', async () => {
    const target = new MemoryTarget({ referrersApi: true });
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    let tip = subject;
    for (let depth = 1; depth <= 17; depth++) tip = await attach(target, tip, `level ${depth}`);
    const plan = await planDelete(target, subject);
    assert.equal(plan.truncated, true);
    await assert.rejects(
      deleteArtifact(target, plan, { withReferrers: true }),
      (e: unknown) => OciError.is(e, 'CONFLICT') && /nothing deleted/.test(e.message),
    );
    assert.equal(await target.exists(subject), true);
    assert.equal(await target.exists(tip), true);
  });
});
