// cosign's tags are judged by their content before a delete or a copy acts on them: a signature's payload must
// sign the subject, an attestation's statement must name it, an SBOM must be one. A tag forged at an image, or
// at another subject's signature, is refused, so `delete --with-referrers` cannot be steered at them.
import * as assert from 'node:assert/strict';
import { planDelete } from '../../../src/core/graph';
import { cosignTagProblem } from '../../../src/core/graph/cosignTagSubject';
import { MemoryTarget } from '../../../src/core/memory';
import { pushArtifact, pushCosignTag } from '../../helpers/sampleArtifact';

describe('cosign tags judged by their content', () => {
  it('accepts a signature, attestation and SBOM about the subject', async () => {
    const store = new MemoryTarget();
    const subject = (await pushArtifact(store, 'subject', { tag: 'v1' })).manifest;
    for (const kind of ['sig', 'att', 'sbom'] as const) {
      const pushed = await pushCosignTag(store, subject, kind);
      const { manifest } = await store.fetchManifest(pushed.manifest);
      assert.equal(await cosignTagProblem(store, `x.${kind}`, manifest, subject.digest), undefined, kind);
    }
  });

  it('refuses a signature or attestation about another subject, and an image under any cosign tag', async () => {
    const store = new MemoryTarget();
    const subject = (await pushArtifact(store, 'subject', { tag: 'v1' })).manifest;
    const other = (await pushArtifact(store, 'other', { tag: 'other' })).manifest;
    const judge = async (kind: string, pushed: { manifest: { digest: string } }) =>
      cosignTagProblem(
        store,
        `t.${kind}`,
        (await store.fetchManifest(pushed.manifest.digest)).manifest,
        subject.digest,
      );

    assert.equal(await judge('sig', await pushCosignTag(store, other, 'sig')), `its payload signs ${other.digest}`);
    assert.equal(await judge('att', await pushCosignTag(store, other, 'att')), 'its statement is about other subjects');
    const image = await pushArtifact(store, 'an image', { tag: 'prod' });
    for (const kind of ['sig', 'att', 'sbom'])
      assert.match((await judge(kind, image))!, /^a layer of type application\/vnd\.stowage\.test\.layer is no /);
  });

  it('delete with referrers leaves another subject’s signature alone when a forged .sig tag names it', async () => {
    const store = new MemoryTarget();
    const subject = (await pushArtifact(store, 'subject', { tag: 'v1' })).manifest;
    const other = (await pushArtifact(store, 'other', { tag: 'other' })).manifest;
    const othersSignature = (await pushCosignTag(store, other, 'sig')).manifest;
    await store.tag(othersSignature, `${subject.digest.replace(':', '-')}.sig`);
    const ownAttestation = (await pushCosignTag(store, subject, 'att')).manifest;

    const plan = await planDelete(store, subject);
    assert.deepEqual(
      plan.referrers.map((r) => r.digest),
      [ownAttestation.digest],
    );
    assert.deepEqual(plan.notReferrers, [
      {
        digest: othersSignature.digest,
        listedUnder: subject.digest,
        source: 'cosign-tag',
        reason: `its payload signs ${other.digest}`,
      },
    ]);
  });
});
