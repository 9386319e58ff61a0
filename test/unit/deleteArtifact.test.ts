// Deleting with referrers in a real OCI layout: referrers of referrers go first, every fallback index entry
// of a deleted manifest goes with it, and an index left empty loses its tag. A manifest a fallback index lists
// without being a referrer of that subject (a forged entry) is never deleted.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteArtifact, planDelete } from '../../src/core/graph/deleteArtifact';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { fallbackTagOf, fetchFallbackIndex } from '../../src/core/graph/referrers';
import { addToFallbackIndex, removeFromFallbackIndex } from '../../src/core/graph/fallbackIndex';
import { attachBytes } from '../../src/core/supplyChain';
import { pushReferrerTree } from '../helpers/referrerTree';
import { pushArtifact } from '../helpers/sampleArtifact';

async function allTags(layout: LayoutTarget): Promise<string[]> {
  const tags: string[] = [];
  for await (const page of layout.listTags()) tags.push(...page);
  return tags.sort();
}

describe('deleteArtifact in a layout', () => {
  let dir: string;
  let layout: LayoutTarget;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-delete-'));
    layout = await LayoutTarget.open(path.join(dir, 'l'), { create: true });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('plans every referrer, deepest first, and with referrers deletes them all and their fallback tags', async () => {
    const tree = await pushReferrerTree(layout);
    const plan = await planDelete(layout, tree.subject);
    assert.equal(plan.referrers.length, 3);
    assert.equal(plan.referrers[0]!.digest, tree.signature.digest, 'the signature of the SBOM is two levels down');
    assert.equal(plan.truncated, false);
    assert.deepEqual(
      await allTags(layout),
      [fallbackTagOf(tree.sbom.digest), fallbackTagOf(tree.subject.digest), 'v1'].sort(),
    );

    const { deleted } = await deleteArtifact(layout, plan, { withReferrers: true });
    assert.equal(deleted.length, 4);
    for (const gone of [tree.subject, tree.sbom, tree.signature, tree.notes])
      assert.equal(await layout.exists(gone), false, gone.digest);
    assert.deepEqual(await allTags(layout), [], 'no tag is left: v1 and both fallback indexes went');
  });

  it('without referrers deletes only the subject and leaves its referrers and their index', async () => {
    const tree = await pushReferrerTree(layout);
    await deleteArtifact(layout, await planDelete(layout, tree.subject));
    assert.equal(await layout.exists(tree.subject), false);
    assert.equal(await layout.exists(tree.sbom), true);
    assert.deepEqual(
      (await fetchFallbackIndex(layout, tree.subject.digest))?.manifests.map((d) => d.digest).sort(),
      [tree.sbom.digest, tree.notes.digest].sort(),
    );
  });

  it('a deleted referrer leaves its subject’s fallback index, and the last one takes the index and its tag', async () => {
    const tree = await pushReferrerTree(layout);
    const notes = await planDelete(layout, tree.notes);
    assert.equal(notes.rootSubject, tree.subject.digest);
    await deleteArtifact(layout, notes);
    assert.deepEqual(
      (await fetchFallbackIndex(layout, tree.subject.digest))?.manifests.map((d) => d.digest),
      [tree.sbom.digest],
    );

    await deleteArtifact(layout, await planDelete(layout, tree.sbom), { withReferrers: true });
    assert.equal(await fetchFallbackIndex(layout, tree.subject.digest), undefined);
    assert.deepEqual(await allTags(layout), ['v1']);
    assert.equal(await layout.exists(tree.signature), false);
  });

  it('with referrers leaves alone a manifest a forged fallback entry lists (no subject, or another), and its referrers', async () => {
    const tree = await pushReferrerTree(layout);
    const prod = (await pushArtifact(layout, 'prod', { tag: 'prod' })).manifest;
    const prodSignature = await attachBytes(layout, prod, {
      artifactType: 'application/vnd.example.signature.v1',
      documents: [{ title: 'prod.sig', mediaType: 'text/plain', bytes: Buffer.from('signed prod') }],
    });
    await addToFallbackIndex(layout, tree.subject.digest, prod);
    await addToFallbackIndex(layout, tree.sbom.digest, prodSignature);

    const plan = await planDelete(layout, tree.subject);
    assert.deepEqual(
      plan.referrers.map((d) => d.digest).sort(),
      [tree.sbom.digest, tree.signature.digest, tree.notes.digest].sort(),
      'only true referrers are planned',
    );
    assert.deepEqual(
      plan.notReferrers.map((r) => [r.digest, r.listedUnder, r.named]).sort(),
      [
        [prod.digest, tree.subject.digest, undefined],
        [prodSignature.digest, tree.sbom.digest, prod.digest],
      ].sort(),
    );

    const { deleted } = await deleteArtifact(layout, plan, { withReferrers: true });
    assert.deepEqual(deleted.map((d) => d.digest).includes(prod.digest), false);
    assert.equal(await layout.exists(prod), true, 'the unrelated manifest stays');
    assert.equal(await layout.exists(prodSignature), true, 'and its referrer');
    for (const gone of [tree.subject, tree.sbom, tree.signature, tree.notes])
      assert.equal(await layout.exists(gone), false, gone.digest);
    assert.deepEqual(
      await allTags(layout),
      [fallbackTagOf(prod.digest), 'prod'].sort(),
      'the fallback tags of the deleted subjects went, forged entries and all',
    );
  });

  it('removing an entry that is not in the index, or from a subject without one, changes nothing', async () => {
    const tree = await pushReferrerTree(layout);
    await removeFromFallbackIndex(layout, tree.subject.digest, tree.signature.digest);
    await removeFromFallbackIndex(layout, tree.notes.digest, tree.sbom.digest);
    assert.equal((await fetchFallbackIndex(layout, tree.subject.digest))?.manifests.length, 2);
    assert.equal((await allTags(layout)).length, 3);
  });
});
