// `stowage copy --all-tags` as a registry mirror, against two real registries (upstream and internal): three tags
// sharing a layer and a referrer graph arrive with the same digests (referrers through the fallback tag, as
// distribution has no referrers API); a rerun where nothing changed writes nothing and asks one HEAD a side per tag
// (counted in both registries' access logs); --tags filters; a tag moved upstream is named, by --dry-run before
// (which moves nothing) and by the run; within one registry blobs are mounted, not uploaded; a layout in between
// falls out of the same command.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Target } from '../../../src/core/content';
import { digestOf, EMPTY_JSON } from '../../../src/core/content';
import { buildReferrerGraph, copyTags } from '../../../src/core/graph';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { type Descriptor, EMPTY_DESCRIPTOR } from '../../../src/core/oci';
import { RegistryTarget } from '../../../src/core/registry';
import { attachBytes } from '../../../src/core/supplyChain';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { requestsSince, settled } from '../../helpers/registryLog';
import { cliOk } from '../../helpers/runCli';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

const LAYER_TYPE = 'application/vnd.stowage.test.layer';

/** Three tags, each a shared 256 KiB layer and one of its own; v1 ← sbom ← signature, and v1 ← notes. */
async function seed(target: Target): Promise<{ tags: Record<string, string>; v1: Descriptor; shared: string }> {
  const sharedBytes = Buffer.alloc(256 * 1024, 7);
  const shared: Descriptor = { mediaType: LAYER_TYPE, digest: digestOf(sharedBytes), size: sharedBytes.length };
  await target.pushBlob(shared, bytesContent(sharedBytes));
  await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
  const tags: Record<string, string> = {};
  for (const tag of ['v1', 'v2', 'v3']) {
    const own = Buffer.from(`the layer of ${tag} alone`);
    const ownLayer = { mediaType: LAYER_TYPE, digest: digestOf(own), size: own.length };
    await target.pushBlob(ownLayer, bytesContent(own));
    const bytes = artifactManifest([shared, ownLayer]);
    await target.pushManifest(manifestDescriptor(bytes), bytes, { tag });
    tags[tag] = manifestDescriptor(bytes).digest;
  }
  const v1 = await target.resolve('v1');
  const attach = (to: Descriptor, artifactType: string, text: string) =>
    attachBytes(target, to, {
      artifactType,
      documents: [{ title: `${text}.txt`, mediaType: 'text/plain', bytes: Buffer.from(`${text} of ${to.digest}`) }],
    });
  const sbom = await attach(v1, 'application/spdx+json', 'sbom');
  await attach(sbom, 'application/vnd.cncf.notary.signature', 'signature');
  await attach(v1, 'application/vnd.example.notes', 'notes');
  return { tags, v1, shared: shared.digest };
}

/** The referrer graph under `root` as sorted "from → to (artifactType)" lines. */
async function graphLines(target: Target, root: Descriptor): Promise<string[]> {
  const graph = await buildReferrerGraph(target, root);
  const typeOf = new Map(graph.nodes.map((n) => [n.descriptor.digest, n.descriptor.artifactType ?? '']));
  return graph.edges.map((e) => `${e.from} → ${e.to} (${typeOf.get(e.to)})`).sort();
}

describe('copy --all-tags: a repository mirrored between real registries', function () {
  this.timeout(180_000);
  let upstream: TestRegistry;
  let internal: TestRegistry;
  let dir: string;
  let seeded: Awaited<ReturnType<typeof seed>>;
  const at = (registry: TestRegistry, name: string) => new RegistryTarget(clientFor(registry), name);

  before(async () => {
    [upstream, internal] = await Promise.all([
      startRegistry({ variant: 'plain' }),
      startRegistry({ variant: 'plain' }),
    ]);
    seeded = await seed(at(upstream, 'library/app'));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-mirror-'));
  });
  after(async () => {
    await Promise.all([upstream?.stop(), internal?.stop()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('mirrors 3 tags sharing a layer with their referrer graph: same digests, the graph in the fallback tag, the shared layer sent once; a rerun writes nothing and asks one HEAD a side per tag', async () => {
    const src = `${upstream.host}/library/app`;
    const dst = `${internal.host}/mirror/app`;
    const first = await cliOk(['copy', '--all-tags', '-r', '--plain-http', src, dst, '--format', 'json']);
    const summary = JSON.parse(first.stdout) as {
      dryRun: boolean;
      tags: { tag: string; digest: string; referrers: number }[];
      manifests: number;
      referrers: number;
      blobs: number;
    };
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.digest, t.referrers]),
      [
        ['v1', seeded.tags.v1, 3],
        ['v2', seeded.tags.v2, 0],
        ['v3', seeded.tags.v3, 0],
      ],
    );
    // Blobs: the shared layer, the empty config, 3 own layers, 3 referrer documents — each counted once.
    assert.deepEqual([summary.manifests, summary.referrers, summary.blobs], [3, 3, 8]);
    assert.match(first.stderr, /copied tag v1 \(sha256:[a-f0-9]{64}\) and 3 referrers\n/);

    const mirror = at(internal, 'mirror/app');
    for (const [tag, digest] of Object.entries(seeded.tags))
      assert.equal((await mirror.resolve(tag)).digest, digest, `${tag} names another digest at the mirror`);
    await mirror.resolve(fallbackTagOf(seeded.v1.digest));
    assert.deepEqual(await graphLines(mirror, seeded.v1), await graphLines(at(upstream, 'library/app'), seeded.v1));
    const sharedUploads = requestsSince(internal, 0).filter((r) => r.startsWith(`PUT /v2/mirror/app/blobs/uploads/`));
    assert.equal(
      sharedUploads.filter((r) => r.includes(seeded.shared.replace(':', '%3A')) || r.includes(seeded.shared)).length,
      1,
      'the shared layer was uploaded more than once',
    );

    // A rerun where nothing changed: tags listed once, one HEAD a side per tag, nothing written, no blob asked.
    const [fromUp, fromIn] = [await settled(upstream), await settled(internal)];
    const rerun = await cliOk(['copy', '--all-tags', '--plain-http', src, dst]);
    await settled(upstream);
    await settled(internal);
    const [up, into] = [requestsSince(upstream, fromUp), requestsSince(internal, fromIn)];
    assert.deepEqual(
      up.filter((r) => r !== 'GET /v2/').sort(),
      [
        'GET /v2/library/app/tags/list',
        'HEAD /v2/library/app/manifests/v1',
        'HEAD /v2/library/app/manifests/v2',
        'HEAD /v2/library/app/manifests/v3',
      ],
      `upstream was asked: ${up.join(', ')}`,
    );
    assert.deepEqual(
      into.filter((r) => r !== 'GET /v2/').sort(),
      ['HEAD /v2/mirror/app/manifests/v1', 'HEAD /v2/mirror/app/manifests/v2', 'HEAD /v2/mirror/app/manifests/v3'],
      `the mirror was asked: ${into.join(', ')}`,
    );
    assert.match(rerun.stderr, /^tag v1 unchanged \(sha256:[a-f0-9]{64}\)$/m);
    assert.match(
      rerun.stdout,
      /^copied 0 tags: 0 manifests, 0 referrers, 0 blobs, 0 B; 3 already there .*; 3 tags unchanged \(/,
    );

    // With -r the referrer graph is walked by manifest: still nothing written, no blob asked of either side.
    const before = [await settled(upstream), await settled(internal)];
    const withReferrers = await cliOk(['copy', '--all-tags', '-r', '--plain-http', src, dst]);
    await settled(upstream);
    await settled(internal);
    const both = [...requestsSince(upstream, before[0]!), ...requestsSince(internal, before[1]!)];
    assert.deepEqual(
      both.filter((r) => !/^(GET|HEAD) /.test(r) || r.includes('/blobs/')),
      [],
      'a rerun with -r wrote or asked about blobs',
    );
    assert.match(withReferrers.stdout, /copied 0 tags: 0 manifests, 0 referrers, 0 blobs, 0 B;.*; 3 tags unchanged/);
    // cosign's sha256-<hex>.sig/.att/.sbom tags are answered from the tag list read at the start: none is there.
    assert.deepEqual(
      requestsSince(upstream, before[0]!).filter((r) => /\.(sig|att|sbom)$/.test(r)),
      [],
      'cosign tags absent from the tag list were asked for',
    );
  });

  it('writes a tag only if the destination still names what it did at its HEAD: one pushed there mid-run is a CONFLICT for that tag alone (keepGoing), for one HEAD more per tag written', async () => {
    const source = at(upstream, 'library/app');
    const destination = at(internal, 'window/app');
    const from = await settled(internal);
    // The source slowed at v2's manifest until someone has pushed a release of their own as v3 at the destination:
    // v3's HEAD was asked tags ahead, before it.
    let theirs: Descriptor | undefined;
    const slowed = new Proxy(source, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (name !== 'fetchManifest') return typeof value === 'function' ? value.bind(target) : value;
        return async (ref: string | Descriptor, options?: { signal?: AbortSignal }) => {
          const digest = typeof ref === 'string' ? ref : ref.digest;
          if (digest === seeded.tags.v2 && !theirs)
            theirs = (await pushArtifact(destination, 'their own v3', { tag: 'v3' })).manifest;
          return target.fetchManifest(ref, options);
        };
      },
    });
    const summary = await copyTags(slowed, destination, { keepGoing: true });
    await settled(internal);
    // Measured: the destination's tag is asked twice per tag written (ahead, and just before writing it).
    const heads = requestsSince(internal, from).filter((r) => /^HEAD \/v2\/window\/app\/manifests\/v\d$/.test(r));
    assert.deepEqual(heads.sort(), [
      'HEAD /v2/window/app/manifests/v1',
      'HEAD /v2/window/app/manifests/v1',
      'HEAD /v2/window/app/manifests/v2',
      'HEAD /v2/window/app/manifests/v2',
      'HEAD /v2/window/app/manifests/v3',
      'HEAD /v2/window/app/manifests/v3',
    ]);
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.digest]),
      [
        ['v1', seeded.tags.v1],
        ['v2', seeded.tags.v2],
      ],
    );
    assert.deepEqual(
      summary.failed.map((f) => [f.tag, f.code]),
      [['v3', 'CONFLICT']],
    );
    assert.match(
      summary.failed[0]!.reason,
      /tag v3 at .* changed while it was copied and was left as it is .*; what was copied stays there, untagged/,
    );
    assert.equal((await destination.resolve('v3')).digest, theirs!.digest, 'their v3 was moved');
  });

  it('--tags copies the matching tags only; --dry-run names a tag moved upstream and moves nothing; the run names it too', async () => {
    const src = `${upstream.host}/library/app`;
    const dst = `${internal.host}/filtered/app`;
    await cliOk(['copy', '--tags', 'v2,v3', '--plain-http', src, dst]);
    const filtered = at(internal, 'filtered/app');
    const tags: string[] = [];
    for await (const page of filtered.listTags()) tags.push(...page);
    assert.deepEqual(tags.sort(), ['v2', 'v3']);

    const moved = (await pushArtifact(at(upstream, 'library/app'), 'v2, rebuilt', { tag: 'v2' })).manifest.digest;
    const from = await settled(internal);
    const planned = await cliOk(['copy', '--tags', 'v?', '--dry-run', '--plain-http', src, dst]);
    await settled(internal);
    assert.ok(
      planned.stderr.includes(`would copy tag v2 (${moved}); at ${dst} it names ${seeded.tags.v2} now\n`),
      planned.stderr,
    );
    assert.ok(planned.stderr.includes(`would copy tag v1 (${seeded.tags.v1})\n`), planned.stderr);
    assert.match(planned.stdout, /^would copy 2 tags: .*; 1 tag moved from another digest: v2; 1 tag unchanged \(/);
    assert.deepEqual(
      requestsSince(internal, from).filter((r) => !/^(GET|HEAD) /.test(r)),
      [],
      'the dry run wrote to the mirror',
    );
    assert.equal((await filtered.resolve('v2')).digest, seeded.tags.v2, 'the dry run moved the tag');

    const done = await cliOk(['copy', '--tags', 'v?', '--plain-http', src, dst, '--format', 'json']);
    assert.ok(
      done.stderr.includes(`copied tag v2 (${moved}); at ${dst} it named ${seeded.tags.v2} before\n`),
      done.stderr,
    );
    const summary = JSON.parse(done.stdout) as { tags: { tag: string; replaced?: string; unchanged?: boolean }[] };
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.replaced, t.unchanged]),
      [
        ['v1', undefined, undefined],
        ['v2', seeded.tags.v2, undefined],
        ['v3', undefined, true],
      ],
    );
    assert.equal((await filtered.resolve('v2')).digest, moved);
    // Put upstream back as the other tests seeded it.
    const upstreamApp = at(upstream, 'library/app');
    await upstreamApp.tag(await upstreamApp.resolve(seeded.tags.v2!), 'v2');
  });

  it('within one registry mounts every blob from the source repository instead of uploading it', async () => {
    const from = await settled(upstream);
    await cliOk([
      'copy',
      '--all-tags',
      '-r',
      '--plain-http',
      `${upstream.host}/library/app`,
      `${upstream.host}/team/app`,
    ]);
    await settled(upstream);
    const requests = requestsSince(upstream, from);
    const mounts = requests.filter((r) => /^POST \/v2\/team\/app\/blobs\/uploads\/\?.*mount=/.test(r));
    assert.ok(mounts.length >= 5, `mounted ${mounts.length} blobs: ${requests.join('\n')}`);
    assert.deepEqual(
      requests.filter((r) => /^(PUT|PATCH) \/v2\/team\/app\/blobs\//.test(r)),
      [],
      'a blob was uploaded instead of mounted',
    );
    for (const [tag, digest] of Object.entries(seeded.tags))
      assert.equal((await at(upstream, 'team/app').resolve(tag)).digest, digest);
  });

  it('through a layout folder: registry → layout → registry with the same command, digests kept', async () => {
    const layout = path.join(dir, 'app-layout');
    await cliOk(['copy', '--all-tags', '-r', '--plain-http', `${upstream.host}/library/app`, `oci:${layout}`]);
    await cliOk(['copy', '-a', '-r', '--plain-http', `oci:${layout}`, `${internal.host}/from-layout/app`]);
    const restored = at(internal, 'from-layout/app');
    for (const [tag, digest] of Object.entries(seeded.tags))
      assert.equal((await restored.resolve(tag)).digest, digest, tag);
    assert.equal((await graphLines(restored, seeded.v1)).length, 3);
  });
});
