// Deleting with referrers on real distribution 2.8.2, which has no referrers API: the fallback tags are what
// must stay true. Referrers of referrers go first; a fallback index left empty goes, tag and all. A forged
// fallback entry (anyone with push rights can write one) never gets an unrelated manifest deleted.
import * as assert from 'node:assert/strict';
import { deleteArtifact, planDelete } from '../../src/core/graph/deleteArtifact';
import { OciError } from '../../src/core/oci/errors';
import type { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { fallbackTagOf, fetchFallbackIndex } from '../../src/core/graph/referrers';
import { addToFallbackIndex } from '../../src/core/graph/fallbackIndex';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { pushReferrerTree } from '../helpers/referrerTree';
import { manifestDescriptor, pushArtifact } from '../helpers/sampleArtifact';
import { digestOf } from '../../src/core/content/hashing';
import { MediaType } from '../../src/core/oci/mediaTypes';

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

  it('with referrers leaves alone an unrelated manifest a forged fallback entry names, and removes the forged tag', async () => {
    const target = new RegistryTarget(client, 'delete/forged');
    const tree = await pushReferrerTree(target);
    const prod = (await pushArtifact(target, 'prod', { tag: 'prod' })).manifest;
    await addToFallbackIndex(target, tree.subject.digest, prod);

    const plan = await planDelete(target, tree.subject);
    assert.equal(plan.referrers.length, 3, 'the SBOM, its signature and the notes');
    assert.deepEqual(
      plan.notReferrers.map((r) => [r.digest, r.listedUnder, r.named]),
      [[prod.digest, tree.subject.digest, undefined]],
    );
    const { deleted } = await deleteArtifact(target, plan, { withReferrers: true });
    assert.equal(deleted.length, 4);
    assert.equal(await target.exists(prod), true, 'the unrelated manifest the forged entry named stays');
    for (const gone of [tree.subject, tree.sbom, tree.signature, tree.notes])
      assert.equal(await target.exists(gone), false, gone.digest);
    assert.deepEqual(await tags(target), ['prod'], 'the forged fallback tag went with its subject');
  });

  it('a fallback tag forged to name somebody’s image index: the index, its tag and its manifests stay', async () => {
    const target = new RegistryTarget(client, 'delete/forged-index');
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const prod = (await pushArtifact(target, 'prod')).manifest;
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [prod] }));
    const index = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
    await target.pushManifest(index, bytes, { tag: 'prod' });
    await target.pushManifest(index, bytes, { tag: fallbackTagOf(subject.digest) });

    const plan = await planDelete(target, subject);
    assert.deepEqual(plan.referrers, []);
    assert.deepEqual(
      plan.notReferrers.map((r) => r.digest),
      [prod.digest],
    );
    await deleteArtifact(target, plan, { withReferrers: true });
    assert.equal(await target.exists(subject), false);
    assert.equal(await target.exists(index), true, 'the index the forged tag named is not deleted by digest');
    assert.equal(await target.exists(prod), true);
    assert.equal((await target.resolve('prod')).digest, index.digest);
    assert.deepEqual(await tags(target), ['prod'], 'only the forged tag went');
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

  it('a delete by tag refuses when the tag was moved since it was resolved (to an index holding it): nothing deleted', async () => {
    const target = new RegistryTarget(client, 'delete/moved');
    const build = (await pushArtifact(target, 'pr-1 build', { tag: 'pr-1' })).manifest;
    const plan = await planDelete(target, build);
    // The window between the resolve and the DELETE: pr-1 now names an index holding the build (as
    // `docker buildx imagetools create` makes one). Deleted by digest, the build would break that new content.
    const indexBytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [build] }),
    );
    const index = manifestDescriptor(indexBytes, MediaType.ociIndex);
    await target.pushManifest(index, indexBytes, { tag: 'pr-1' });
    await assert.rejects(deleteArtifact(target, plan, { tags: ['pr-1'] }), (err: unknown) => {
      assert.ok(OciError.is(err, 'CONFLICT'), String(err));
      assert.match(
        err.message,
        /^tag pr-1 at .*delete\/moved names sha256:[0-9a-f]{12} now, not sha256:[0-9a-f]{12} as when the delete was planned; nothing was deleted$/,
      );
      return true;
    });
    assert.equal(await target.exists(build), true, 'the build the new index holds stays');
    assert.equal((await target.resolve('pr-1')).digest, index.digest);
    // A tag that still names what was resolved lets the delete go.
    const other = (await pushArtifact(target, 'pr-2 build', { tag: 'pr-2' })).manifest;
    await deleteArtifact(target, await planDelete(target, other), { tags: ['pr-2'] });
    assert.equal(await target.exists(other), false);
  });

  it('with referrers looks at the tag again just before the root: one moved while referrers went keeps the root', async () => {
    const target = new RegistryTarget(client, 'delete/moved-late');
    const tree = await pushReferrerTree(target);
    const plan = await planDelete(target, tree.subject);
    const indexBytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [tree.subject] }),
    );
    const index = manifestDescriptor(indexBytes, MediaType.ociIndex);
    // Another writer moves v1 to an index holding the subject while the first referrer is being deleted: after the
    // look before anything was deleted, before the subject's own delete.
    let movedTag = false;
    const racing: RegistryTarget = Object.assign(Object.create(target) as RegistryTarget, {
      deleteManifest: async (...args: Parameters<RegistryTarget['deleteManifest']>) => {
        if (!movedTag) {
          movedTag = true;
          await target.pushManifest(index, indexBytes, { tag: 'v1' });
        }
        return target.deleteManifest(...args);
      },
    });
    await assert.rejects(deleteArtifact(racing, plan, { withReferrers: true, tags: ['v1'] }), (err: unknown) => {
      assert.ok(OciError.is(err, 'CONFLICT'), String(err));
      assert.match(
        err.message,
        /^tag v1 at .*delete\/moved-late names sha256:[0-9a-f]{12} now, not sha256:[0-9a-f]{12} as when the delete was planned; 3 referrers of it were deleted, it was not$/,
      );
      return true;
    });
    assert.equal(await target.exists(tree.subject), true, 'the subject the new index holds stays');
    assert.equal((await target.resolve('v1')).digest, index.digest);
    for (const gone of [tree.sbom, tree.signature, tree.notes])
      assert.equal(await target.exists(gone), false, gone.digest);
  });
});
