// Air-gapped transport against the real registry and skopeo: layout archives Stowage writes are read by skopeo and
// the other way round, a repository with three tags and a three-level referrer graph survives backup → restore into
// an empty repository (same digests, same graph), and an interrupted backup resumes moving only what is missing.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildReferrerGraph, copyTags } from '../../src/core/graph';
import { ArchiveTarget, LayoutTarget, stagingFolderOf } from '../../src/core/layout';
import type { Descriptor } from '../../src/core/oci';
import { RegistryTarget } from '../../src/core/registry';
import { attachBytes } from '../../src/core/supplyChain';
import type { Target } from '../../src/core/content';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { runSkopeo } from '../fixtures/skopeo';
import { cli, cliOk } from '../helpers/runCli';
import { pushArtifact } from '../helpers/sampleArtifact';

interface Seeded {
  tags: Record<string, string>;
  /** v1 ← sbom ← signature ← timestamp, and v1 ← notes. */
  v1: Descriptor;
}

/** Three tags sharing a layer; v1 with a referrer graph three levels deep. */
async function seed(target: Target): Promise<Seeded> {
  const shared = Buffer.alloc(256 * 1024, 7);
  const tags: Record<string, string> = {};
  for (const tag of ['v1', 'v2', 'v3']) {
    const { manifest } = await pushArtifact(target, Buffer.concat([shared, Buffer.from(tag)]), { tag });
    tags[tag] = manifest.digest;
  }
  const v1 = await target.resolve('v1');
  const attach = (to: Descriptor, artifactType: string, text: string) =>
    attachBytes(target, to, {
      artifactType,
      documents: [{ title: `${text}.txt`, mediaType: 'text/plain', bytes: Buffer.from(`${text} of ${to.digest}`) }],
    });
  const sbom = await attach(v1, 'application/spdx+json', 'sbom');
  const signature = await attach(sbom, 'application/vnd.cncf.notary.signature', 'signature');
  await attach(signature, 'application/vnd.example.timestamp', 'timestamp');
  await attach(v1, 'application/vnd.example.notes', 'notes');
  return { tags, v1 };
}

/** The referrer graph under `root` as sorted "from → to (artifactType)" lines (sources may differ by store). */
async function graphLines(target: Target, root: Descriptor): Promise<string[]> {
  const graph = await buildReferrerGraph(target, root);
  const typeOf = new Map(graph.nodes.map((n) => [n.descriptor.digest, n.descriptor.artifactType ?? '']));
  return graph.edges.map((e) => `${e.from} → ${e.to} (${typeOf.get(e.to)})`).sort();
}

describe('backup, restore and layout archives with the real registry and skopeo', function () {
  this.timeout(180_000);
  let registry: TestRegistry;
  let dir: string;
  let source: RegistryTarget;
  let seeded: Seeded;
  const repo = (name: string) => new RegistryTarget(clientFor(registry), name);

  before(async () => {
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    source = repo('airgap/app');
    seeded = await seed(source);
  });
  after(async () => {
    await registry?.stop();
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-airgap-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('backup of 3 tags with a 3-level referrer graph to a .tar, restore into an empty repository: same digests, same graph', async () => {
    const archive = path.join(dir, 'backup.tar');
    const backup = await cliOk([
      'backup',
      '--plain-http',
      '--include-referrers',
      '--output',
      archive,
      '--format',
      'json',
      `${registry.host}/airgap/app`,
    ]);
    const backedUp = JSON.parse(backup.stdout) as { tags: { tag: string }[]; referrers: number; blobs: number };
    assert.deepEqual(
      backedUp.tags.map((t) => t.tag),
      ['v1', 'v2', 'v3'],
      'all tags by default, fallback tags not among them',
    );
    assert.equal(backedUp.referrers, 4);
    assert.match(backup.stderr, /copied tag v1 \(sha256:[a-f0-9]{64}\) and 4 referrers/);

    const restore = await cliOk(['restore', '--plain-http', '--input', archive, `${registry.host}/airgap/restored`]);
    assert.match(restore.stdout, /restored 3 tags: 3 manifests, 4 referrers/);

    const restored = repo('airgap/restored');
    for (const [tag, digest] of Object.entries(seeded.tags))
      assert.equal((await restored.resolve(tag)).digest, digest, `${tag} resolves to another digest`);
    assert.deepEqual(await graphLines(restored, seeded.v1), await graphLines(source, seeded.v1));
    assert.equal((await graphLines(restored, seeded.v1)).length, 4);

    const discover = await cliOk(['discover', '--plain-http', `${registry.host}/airgap/restored:v1`]);
    assert.match(discover.stdout, /application\/vnd\.example\.timestamp/, 'the third level shows in discover');

    const again = await cliOk(['restore', '--plain-http', '--input', archive, `${registry.host}/airgap/restored`]);
    assert.match(again.stdout, /restored 0 tags: 0 manifests, 0 referrers, 0 blobs, 0 B;.*; 3 tags unchanged/);
  });

  it('backs up named tags only (ORAS syntax), filters by --tags, --dry-run moves nothing, a rerun refills a lost blob', async () => {
    const folder = path.join(dir, 'layout');
    const dry = await cliOk([
      'backup',
      '--plain-http',
      '--dry-run',
      '--output',
      folder,
      `${registry.host}/airgap/app:v1,v3`,
    ]);
    assert.match(dry.stdout, /would back up 2 tags/);
    await assert.rejects(fs.stat(folder), 'a dry run created the layout');

    await cliOk(['backup', '--plain-http', '--output', folder, '--tags', '*2', `${registry.host}/airgap/app`]);
    const layout = await LayoutTarget.open(folder);
    const tags: string[] = [];
    for await (const page of layout.listTags()) tags.push(...page);
    assert.deepEqual(tags, ['v2'], '--tags keeps the matching tags only');

    // A backup folder that lost a blob: the rerun checks what is there, fetches only the missing blob.
    const { manifest } = await layout.fetchManifest('v2');
    const layer = 'layers' in manifest ? manifest.layers[0]! : undefined;
    assert.ok(layer);
    await fs.rm(layout.blobPath(layer.digest));
    const repaired = await cliOk([
      'backup',
      '--plain-http',
      '--output',
      folder,
      '--format',
      'json',
      `${registry.host}/airgap/app:v2`,
    ]);
    const summary = JSON.parse(repaired.stdout) as { blobs: number; manifests: number; skipped: number };
    assert.deepEqual(
      summary,
      { ...summary, blobs: 1, manifests: 0, skipped: 2 },
      'manifest and config found, layer fetched',
    );
    assert.equal(await layout.exists(layer), true);

    const restoreDry = await cliOk([
      'restore',
      '--plain-http',
      '--dry-run',
      '--input',
      folder,
      `${registry.host}/airgap/never`,
    ]);
    assert.match(restoreDry.stdout, /1 tag/);
    const listed = await cli(['tags', '--plain-http', `${registry.host}/airgap/never`]);
    assert.equal(listed.stdout.trim(), '', 'a dry-run restore pushed tags');
  });

  it('an interrupted backup to a .tar resumes: the rerun fetches only what the first run did not store', async () => {
    const archive = path.join(dir, 'resume.tar');
    const first = await ArchiveTarget.open(archive, { create: true });
    const stop = new AbortController();
    await assert.rejects(
      copyTags(source, first, {
        referrers: true,
        signal: stop.signal,
        onTag: (event) => {
          if (event.phase === 'done' && event.tag === 'v1') stop.abort();
        },
      }),
    );
    await assert.rejects(fs.stat(archive), 'an interrupted backup wrote the archive');
    await fs.stat(stagingFolderOf(archive));
    await first.release(); // as the CLI's session does after a failure: staging stays, the writer lock goes

    const rerun = await cliOk([
      'backup',
      '--plain-http',
      '--include-referrers',
      '--output',
      archive,
      '--format',
      'json',
      `${registry.host}/airgap/app`,
    ]);
    const summary = JSON.parse(rerun.stdout) as { skipped: number; referrers: number; tags: unknown[] };
    assert.equal(summary.tags.length, 3);
    // v1 (manifest, config, layer) and its 4 referrers (manifest and layer each; the empty config is shared).
    assert.equal(summary.skipped, 3 + 4 * 2, 'v1 and its referrers were not all found in staging');
    assert.equal(summary.referrers, 0, 'every referrer was stored by the first run');
    await assert.rejects(fs.stat(stagingFolderOf(archive)), 'staging left after the archive was written');
    const reread = await ArchiveTarget.open(archive);
    assert.equal((await reread.resolve('v3')).digest, seeded.tags['v3']);
    assert.equal((await graphLines(reread, seeded.v1)).length, 4);
  });

  it('skopeo copies from an archive Stowage wrote to the registry with identical digests', async () => {
    const archive = path.join(dir, 'ours.tar');
    await cliOk(['copy', '--plain-http', `${registry.host}/airgap/app:v2`, `oci-archive:${archive}:v2`]);
    await runSkopeo([
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci-archive:${archive}:v2`,
      `docker://${registry.host}/airgap/by-skopeo:v2`,
    ]);
    assert.equal((await repo('airgap/by-skopeo').resolve('v2')).digest, seeded.tags['v2']);
  });

  it('Stowage reads an archive skopeo wrote: tags, manifest, pull, and copy back to the registry', async () => {
    const archive = path.join(dir, 'skopeo.tar');
    await runSkopeo([
      'copy',
      '--preserve-digests',
      '--src-tls-verify=false',
      `docker://${registry.host}/airgap/app:v3`,
      `oci-archive:${archive}:v3`,
    ]);
    const tags = await cliOk(['tags', `oci-archive:${archive}`]);
    assert.equal(tags.stdout.trim(), 'v3');
    const resolved = await cliOk(['resolve', `oci-archive:${archive}:v3`]);
    assert.ok(resolved.stdout.includes(seeded.tags['v3']!), resolved.stdout);
    const out = path.join(dir, 'pulled');
    await cliOk(['pull', `oci-archive:${archive}:v3`, '-o', out]);
    assert.ok((await fs.readFile(path.join(out, 'payload.txt'))).toString().endsWith('v3'));
    await cliOk(['copy', '--plain-http', `oci-archive:${archive}:v3`, `${registry.host}/airgap/from-skopeo:v3`]);
    assert.equal((await repo('airgap/from-skopeo').resolve('v3')).digest, seeded.tags['v3']);
  });
});
