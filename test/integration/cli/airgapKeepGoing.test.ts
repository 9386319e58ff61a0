// `stowage backup` and `stowage restore` as night jobs meet a real fault: a blob whose bytes no longer match its
// digest (its data file overwritten in the registry's storage, or in the layout) fails its tag. With --keep-going
// the others land, the archive or layout is written whole with what moved, the failures are named (exit 1, in
// --format json too), and once the blob is repaired a rerun finishes, moving only what was missing; without it the
// run stops at that tag saying how much was done and left. With --include-referrers the fallback and cosign tags of
// each manifest are answered from the repository's tag list, not asked for (counted in the registry's access log).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { ArchiveTarget, LayoutTarget } from '../../../src/core/layout';
import { RegistryTarget } from '../../../src/core/registry';
import { attachBytes } from '../../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { requestsSince, settled } from '../../helpers/registryLog';
import { cli, cliOk } from '../../helpers/runCli';
import { registryBlobFile, seedOwnLayerTags, type OwnLayerTags } from '../../helpers/ownLayerTags';
import { pushArtifact, type PushedArtifact } from '../../helpers/sampleArtifact';
import { onSmallFileSystem } from '../../helpers/smallFileSystem';

/** A real file system of `size` at a new folder under `dir`, for `body`. */
async function smallFileSystem(dir: string, size: string, body: (mounted: string) => Promise<void>): Promise<void> {
  const mounted = path.join(dir, 'small');
  await onSmallFileSystem(mounted, size, () => body(mounted));
}

/** Overwrites a blob's stored bytes with as many others, runs `body`, and puts them back. */
async function damaged(file: string, body: () => Promise<void>): Promise<void> {
  const good = await fs.readFile(file);
  await fs.writeFile(file, Buffer.alloc(good.length, 'z'));
  try {
    await body();
  } finally {
    await fs.writeFile(file, good);
  }
}

describe('backup and restore --keep-going against the real registry', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let seeded: OwnLayerTags;
  let dir: string;
  const at = (name: string) => new RegistryTarget(clientFor(registry), name);
  const blobData = (digest: string) => registryBlobFile(registry, digest);

  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
    seeded = await seedOwnLayerTags(at('night/app'));
  });
  after(async () => {
    await registry?.stop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-keep-going-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('backup: without --keep-going stops at the failing tag naming what was done and left; with it the archive and the folder hold the other tags whole, a rerun finishes', async () => {
    const src = `${registry.host}/night/app`;
    const archive = path.join(dir, 'night.tar');
    const folder = path.join(dir, 'night');
    await damaged(blobData(seeded.v2!.layer), async () => {
      const stopped = await cli(['backup', '--plain-http', '--output', path.join(dir, 'stopped.tar'), src]);
      assert.equal(stopped.code, 1, stopped.stderr);
      assert.match(
        stopped.stderr,
        /^stopped at tag v2 \(2\/3\): 1 tag backed up, 1 left \(a rerun fetches only what is missing; --keep-going goes on past a failing tag\)$/m,
      );
      await assert.rejects(fs.stat(path.join(dir, 'stopped.tar')), 'a stopped backup wrote its archive');

      const going = await cli(['backup', '--keep-going', '--plain-http', '--output', archive, src]);
      assert.equal(going.code, 1, going.stderr);
      assert.match(going.stderr, new RegExp(`^tag v2 failed: .*${seeded.v2!.layer}`, 'm'));
      assert.match(going.stdout, /^backed up 2 tags: .*; 1 tag failed: v2 \(/m);
      const written = await ArchiveTarget.open(archive);
      for (const tag of ['v1', 'v3']) assert.equal((await written.resolve(tag)).digest, seeded[tag]!.manifest);
      await assert.rejects(written.resolve('v2'), /not found/);

      const json = await cli(['backup', '--keep-going', '--plain-http', '-o', folder, src, '--format', 'json']);
      assert.equal(json.code, 1, json.stderr);
      const summary = JSON.parse(json.stdout) as { tags: { tag: string }[]; failed: { tag: string; code: string }[] };
      assert.deepEqual(
        summary.failed.map((f) => [f.tag, f.code]),
        [['v2', 'DIGEST_MISMATCH']],
      );
      assert.deepEqual(
        summary.tags.map((t) => t.tag),
        ['v1', 'v3'],
      );
      const index = JSON.parse(await fs.readFile(path.join(folder, 'index.json'), 'utf8')) as {
        manifests: { annotations?: Record<string, string> }[];
      };
      assert.deepEqual(index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).sort(), [
        'v1',
        'v3',
      ]);
    });
    for (const output of [archive, folder]) {
      const rerun = await cliOk(['backup', '--keep-going', '--plain-http', '-o', output, src, '--format', 'json']);
      const summary = JSON.parse(rerun.stdout) as { manifests: number; blobs: number; failed: unknown[] };
      assert.deepEqual([summary.manifests, summary.blobs, summary.failed], [1, 1, []], rerun.stdout);
      const store = output === archive ? await ArchiveTarget.open(archive) : await LayoutTarget.open(folder);
      assert.equal((await store.resolve('v2')).digest, seeded.v2!.manifest);
    }
  });

  it('backup --keep-going into a full file system stops where the run without it stops, saying so (text, and json into a folder or an archive): no tag gets past it', async () => {
    // Three tags of 600 KB into 1 MiB: the first fits, the second meets a full disk.
    const target = at('full/app');
    const pushed: PushedArtifact[] = [];
    for (const tag of ['a', 'b', 'c']) pushed.push(await pushArtifact(target, randomBytes(600_000), { tag }));
    const src = `${registry.host}/full/app`;
    await smallFileSystem(dir, '1m', async (small) => {
      const going = await cli(['backup', '--keep-going', '--plain-http', '-o', path.join(small, 'text'), src]);
      assert.equal(going.code, 1, going.stderr);
      assert.doesNotMatch(going.stderr, /^tag b failed/m, 'a full disk read as one failing tag');
      assert.match(
        going.stderr,
        /^stopped at tag b \(2\/3\): 1 tag backed up, 1 left \(a rerun fetches only what is missing; --keep-going does not go past the storage written to: make room or fix it first\)\nstowage backup: .*no space left on the device/m,
      );
      assert.equal(going.stdout, '', 'a summary claimed a backup');
      await fs.rm(path.join(small, 'text'), { recursive: true });

      // A tag passed by before the full disk is counted apart from those done. Into an archive, the record of where
      // it stopped gets out too, though the output that waited for the archive to be written is dropped.
      for (const output of ['json', 'json.tar'])
        await damaged(blobData(pushed[0]!.layer.digest), async () => {
          const json = await cli([
            'backup',
            '--keep-going',
            '--plain-http',
            '-o',
            path.join(small, output),
            src,
            '--format',
            'json',
          ]);
          assert.equal(json.code, 1, json.stderr);
          assert.match(json.stderr, /^tag a failed: /m);
          assert.match(json.stderr, /^stopped at tag c \(3\/3\): 1 tag backed up, 1 failed, 0 left \(/m);
          const { stopped } = JSON.parse(json.stdout) as { stopped: Record<string, unknown> };
          assert.match(String(stopped['reason']), /no space left on the device/);
          assert.deepEqual(
            { ...stopped, reason: undefined },
            {
              tag: 'c',
              position: 3,
              count: 3,
              done: 1,
              unlisted: 0,
              failed: 1,
              left: 0,
              stop: 'storage',
              code: 'ENOSPC',
              reason: undefined,
            },
          );
          await fs.rm(path.join(small, output), { recursive: true, force: true });
        });
    });
  });

  it('restore: a layout blob that fails its digest fails its tag; --keep-going restores the others (exit 1, json), a rerun finishes', async () => {
    const folder = path.join(dir, 'kept');
    await cliOk(['backup', '--plain-http', '-o', folder, `${registry.host}/night/app`]);
    const hex = seeded.v3!.layer.slice('sha256:'.length);
    const dst = `${registry.host}/restored/app`;
    await damaged(path.join(folder, 'blobs/sha256', hex), async () => {
      const stopped = await cli(['restore', '--plain-http', '-i', folder, `${registry.host}/stopped/app`]);
      assert.equal(stopped.code, 1, stopped.stderr);
      assert.match(stopped.stderr, /^stopped at tag v3 \(3\/3\): 2 tags restored, 0 left /m);

      const going = await cli(['restore', '--keep-going', '--plain-http', '-i', folder, dst, '--format', 'json']);
      assert.equal(going.code, 1, going.stderr);
      assert.match(going.stderr, /^tag v3 failed: /m);
      const summary = JSON.parse(going.stdout) as { tags: { tag: string }[]; failed: { tag: string }[] };
      assert.deepEqual(
        summary.failed.map((f) => f.tag),
        ['v3'],
      );
      for (const tag of ['v1', 'v2'])
        assert.equal((await at('restored/app').resolve(tag)).digest, seeded[tag]!.manifest);
      await assert.rejects(at('restored/app').resolve('v3'), /not found/);
    });
    const rerun = await cliOk(['restore', '--keep-going', '--plain-http', '-i', folder, dst]);
    assert.match(rerun.stdout, /^restored 1 tag: 1 manifest, 0 referrers, 1 blob, .*; 2 tags unchanged \(/m);
    assert.equal((await at('restored/app').resolve('v3')).digest, seeded.v3!.manifest);
  });

  it('backup --include-referrers asks for no fallback or cosign tag the tag list does not name, for all tags and for tags named', async () => {
    const name = 'signed/app';
    const target = at(name);
    const tags = await seedOwnLayerTags(target);
    const v1 = await target.resolve('v1');
    await attachBytes(target, v1, {
      artifactType: 'application/spdx+json',
      documents: [{ title: 'sbom.json', mediaType: 'application/spdx+json', bytes: Buffer.from('{"spdx":1}') }],
    });
    const referrerTagRequests = (from: number) =>
      requestsSince(registry, from).filter((r) => r.includes(`/v2/${name}/manifests/sha256-`));
    const expected = [`GET /v2/${name}/manifests/${fallbackTagOf(tags.v1!.manifest)}`];

    let from = await settled(registry);
    const all = await cliOk([
      'backup',
      '--include-referrers',
      '--plain-http',
      '-o',
      path.join(dir, 'all'),
      `${registry.host}/${name}`,
    ]);
    assert.match(all.stdout, /^backed up 3 tags: 3 manifests, 1 referrer, /m);
    await settled(registry);
    assert.deepEqual(referrerTagRequests(from), expected);

    from = await settled(registry);
    const named = await cliOk([
      'backup',
      '--include-referrers',
      '--plain-http',
      '-o',
      path.join(dir, 'named'),
      `${registry.host}/${name}:v1,v3`,
    ]);
    assert.match(named.stdout, /^backed up 2 tags: 2 manifests, 1 referrer, /m);
    await settled(registry);
    assert.deepEqual(referrerTagRequests(from), expected);
  });
});
