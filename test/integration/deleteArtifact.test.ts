// Deleting with referrers on real distribution 2.8.2, which has no referrers API: the fallback tags are what
// must stay true. Referrers of referrers go first; a fallback index left empty goes, tag and all.
import * as assert from 'node:assert/strict';
import { deleteArtifact, planDelete } from '../../src/core/graph/deleteArtifact';
import { OciError } from '../../src/core/oci/errors';
import type { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { fallbackTagOf, fetchFallbackIndex } from '../../src/core/graph/referrers';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { pushReferrerTree } from '../helpers/referrerTree';

describe('deleteArtifact on a registry without a referrers API', function () {
  let registry: TestRegistry;
  let client: RegistryClient;
  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    client = clientFor(registry);
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
  });

  async function tags(target: RegistryTarget): Promise<string[]> {
    const all: string[] = [];
    for await (const page of target.listTags()) all.push(...page);
    return all.sort();
  }

  it('with referrers deletes the subject, its referrers and theirs, and both fallback tags', async () => {
    const target = new RegistryTarget(client, 'delete/all');
    const tree = await pushReferrerTree(target);
    const plan = await planDelete(target, tree.subject);
    assert.deepEqual(
      plan.edges.map((e) => e.source),
      ['fallback-tag', 'fallback-tag', 'fallback-tag'],
    );
    await deleteArtifact(target, plan, { withReferrers: true });
    for (const gone of [tree.subject, tree.sbom, tree.signature, tree.notes])
      assert.equal(await target.exists(gone), false, gone.digest);
    // distribution keeps a repository's tag list after its last tag goes; it must be empty, not name an index.
    assert.deepEqual(await tags(target), []);
    await assert.rejects(target.resolve(fallbackTagOf(tree.subject.digest)), (e: unknown) =>
      OciError.is(e, 'NOT_FOUND'),
    );
  });

  it('deleting one referrer rewrites its subject’s fallback index without it; the last one removes the tag', async () => {
    const target = new RegistryTarget(client, 'delete/one');
    const tree = await pushReferrerTree(target);
    await deleteArtifact(target, await planDelete(target, tree.notes));
    assert.equal(await target.exists(tree.notes), false);
    assert.deepEqual(
      (await fetchFallbackIndex(target, tree.subject.digest))?.manifests.map((d) => d.digest),
      [tree.sbom.digest],
    );

    await deleteArtifact(target, await planDelete(target, tree.sbom), { withReferrers: true });
    assert.equal(await fetchFallbackIndex(target, tree.subject.digest), undefined);
    assert.equal(await fetchFallbackIndex(target, tree.sbom.digest), undefined);
    assert.deepEqual(await tags(target), ['v1']);
    assert.equal(await target.exists(tree.subject), true, 'the subject stays');
  });
});
