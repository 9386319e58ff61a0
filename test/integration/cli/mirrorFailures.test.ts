// `stowage copy --all-tags` as a nightly mirror job meets a real registry's faults: a blob the upstream serves
// with other bytes (its data file overwritten in the registry's storage) fails its tag — --keep-going names it and
// copies the rest (exit 1, the failures in --format json), without it the run stops there saying what was done
// and left; -n leaves a tag pushed at the mirror by hand alone; --force-recursive finds and sends again a blob the
// mirror's storage lost under a manifest it still holds, which a plain rerun trusts; a manifest the mirror refuses
// (a foreign layer with an ftp URL) fails its tag the same way.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { digestOf } from '../../../src/core/content';
import { LayoutTarget } from '../../../src/core/layout';
import { RegistryTarget } from '../../../src/core/registry';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { requestsSince, settled } from '../../helpers/registryLog';
import { cli, cliOk } from '../../helpers/runCli';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';
import { OWN_LAYER_TYPE, registryBlobFile, seedOwnLayerTags, type OwnLayerTags } from '../../helpers/ownLayerTags';

describe('copy --all-tags as a mirror job: failing tags, kept tags, a full re-check', function () {
  this.timeout(180_000);
  let upstream: TestRegistry;
  let internal: TestRegistry;
  let seeded: OwnLayerTags;
  const at = (registry: TestRegistry, name: string) => new RegistryTarget(clientFor(registry), name);

  before(async () => {
    [upstream, internal] = await Promise.all([
      startRegistry({ variant: 'plain' }),
      startRegistry({ variant: 'plain' }),
    ]);
    seeded = await seedOwnLayerTags(at(upstream, 'library/app'));
  });
  after(async () => {
    await Promise.all([upstream?.stop(), internal?.stop()]);
  });

  it('a blob that fails its digest fails its tag: --keep-going names it and copies the rest (exit 1, failures in json); without it the run stops there, naming what was done and left', async () => {
    const src = `${upstream.host}/library/app`;
    const file = registryBlobFile(upstream, seeded.v2!.layer);
    const good = await fs.readFile(file);
    await fs.writeFile(file, Buffer.alloc(good.length, 'z'));
    try {
      const stopped = await cli(['copy', '--all-tags', '--plain-http', src, `${internal.host}/stopped/app`]);
      assert.equal(stopped.code, 1, stopped.stderr);
      assert.match(
        stopped.stderr,
        /^stopped at tag v2 \(2\/3\): 1 tag copied, 1 left \(a rerun copies only what is missing; --keep-going goes on past a failing tag\)$/m,
      );
      assert.match(stopped.stderr, /^stowage copy: .*sha256:[a-f0-9]{64}/m);
      await assert.rejects(at(internal, 'stopped/app').resolve('v3'), /not found/, 'the run went on past v2');

      const dst = `${internal.host}/going/app`;
      const going = await cli(['copy', '--all-tags', '--keep-going', '--plain-http', src, dst]);
      assert.equal(going.code, 1, going.stderr);
      assert.match(going.stderr, new RegExp(`^tag v2 failed: .*${seeded.v2!.layer}`, 'm'));
      assert.match(going.stdout, /^copied 2 tags: .*; 1 tag failed: v2 \(/m);
      for (const tag of ['v1', 'v3'])
        assert.equal((await at(internal, 'going/app').resolve(tag)).digest, seeded[tag]!.manifest);

      const json = await cli(['copy', '-a', '--keep-going', '--plain-http', src, dst, '--format', 'json']);
      assert.equal(json.code, 1);
      const summary = JSON.parse(json.stdout) as { tags: { tag: string }[]; failed: { tag: string; code: string }[] };
      assert.deepEqual(
        summary.failed.map((f) => f.tag),
        ['v2'],
      );
      assert.equal(summary.failed[0]!.code, 'DIGEST_MISMATCH');
      assert.deepEqual(
        summary.tags.map((t) => t.tag),
        ['v1', 'v3'],
      );
    } finally {
      await fs.writeFile(file, good);
    }
    // Repaired upstream, the rerun moves what was missing and exits 0.
    await cliOk(['copy', '--all-tags', '--keep-going', '--plain-http', src, `${internal.host}/going/app`]);
    assert.equal((await at(internal, 'going/app').resolve('v2')).digest, seeded.v2!.manifest);
  });

  it('-n keeps a tag the mirror holds at another digest, naming it, and moves nothing there', async () => {
    const src = `${upstream.host}/library/app`;
    const dst = `${internal.host}/kept/app`;
    await cliOk(['copy', '--all-tags', '--plain-http', src, dst]);
    const mine = (await pushArtifact(at(internal, 'kept/app'), 'pushed at the mirror by hand', { tag: 'v1' })).manifest;
    const run = await cliOk(['copy', '--all-tags', '-n', '--plain-http', src, dst, '--format', 'json']);
    assert.ok(
      run.stderr.includes(`tag v1 kept, ${dst} has ${mine.digest} (the source names ${seeded.v1!.manifest})\n`),
      run.stderr,
    );
    assert.equal((await at(internal, 'kept/app').resolve('v1')).digest, mine.digest, 'the tag was moved');
    const summary = JSON.parse(run.stdout) as { kept: { tag: string; digest: string; destination: string }[] };
    assert.deepEqual(summary.kept, [{ tag: 'v1', digest: seeded.v1!.manifest, destination: mine.digest }]);
  });

  it('--force-recursive sends again a blob the mirror lost under a manifest it holds; a plain rerun trusts the manifest', async () => {
    const src = `${upstream.host}/library/app`;
    const dst = `${internal.host}/repaired/app`;
    await cliOk(['copy', '--all-tags', '--plain-http', src, dst]);
    await fs.rm(registryBlobFile(internal, seeded.v3!.layer));
    const mirror = at(internal, 'repaired/app');
    const layer = { mediaType: OWN_LAYER_TYPE, digest: seeded.v3!.layer, size: 1 };
    assert.equal(await mirror.exists(layer), false, 'the blob is still there');

    const trusting = await cliOk(['copy', '--all-tags', '--plain-http', src, dst]);
    assert.match(trusting.stdout, /; 3 tags unchanged \(/);

    const from = await settled(internal);
    const repair = await cliOk(['copy', '--all-tags', '--force-recursive', '--plain-http', src, dst]);
    await settled(internal);
    assert.match(repair.stdout, /^copied 1 tag: 0 manifests, 0 referrers, 1 blob, .*; 2 tags unchanged \(/);
    assert.equal(await mirror.exists(layer), true, 'the lost blob was not sent again');
    const writes = requestsSince(internal, from).filter((r) => !/^(GET|HEAD) /.test(r));
    assert.equal(
      writes.filter((r) => r.startsWith('PUT /v2/repaired/app/blobs/uploads/')).length,
      1,
      writes.join('\n'),
    );
    assert.deepEqual(
      writes.filter((r) => r.includes('/manifests/')),
      [],
      'a manifest was written',
    );
  });

  it('a manifest the destination refuses (a foreign layer whose URL is not http(s), which distribution refuses) fails its tag: --keep-going copies the rest', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-mirror-refused-'));
    try {
      const layout = await LayoutTarget.open(dir, { create: true });
      const tags = await seedOwnLayerTags(layout);
      const own = Buffer.from('a layer that says where else to get it');
      const layer = { mediaType: OWN_LAYER_TYPE, digest: digestOf(own), size: own.length };
      await layout.pushBlob(layer, bytesContent(own));
      const foreign = {
        ...layer,
        mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
        urls: ['ftp://example.invalid/layer'],
      };
      const bytes = artifactManifest([foreign]);
      await layout.pushManifest(manifestDescriptor(bytes), bytes, { tag: 'v2' });

      const dst = `${internal.host}/refusing/app`;
      const run = await cli(['copy', '--all-tags', '--keep-going', '--plain-http', `oci:${dir}`, dst]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^tag v2 failed: .* answered 500 for manifest .*\/refusing\/app:v2 /m);
      assert.match(run.stdout, /^copied 2 tags: .*; 1 tag failed: v2 \(/m);
      for (const tag of ['v1', 'v3'])
        assert.equal((await at(internal, 'refusing/app').resolve(tag)).digest, tags[tag]!.manifest);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
