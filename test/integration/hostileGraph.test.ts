// Hostile manifest graphs: cycles (through fallback tags in a real layout and registry, and an index listing
// itself from a lying source) and enormous fan-out. Copy and discover must terminate, visit each node once,
// and refuse what is unbounded — with a clear message.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copy } from '../../src/core/graph/copy';
import { buildReferrerGraph } from '../../src/core/graph/referrerGraph';
import { buildJudgedGraph } from '../../src/core/graph/judgedGraph';
import { JUDGED_PER_NODE } from '../../src/core/graph/referrerGraph';
import { fallbackTagOf } from '../../src/core/graph/referrers';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { digestOf } from '../../src/core/content/hashing';
import { MediaType } from '../../src/core/oci/mediaTypes';
import { OciError } from '../../src/core/oci/errors';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import type { Descriptor } from '../../src/core/oci/descriptor';
import type { Target } from '../../src/core/content/target';
import { cyclicSource, fanOutSource } from '../fixtures/hostile/graphSources';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { recordFigures } from '../helpers/figures';
import { cliOk } from '../helpers/runCli';
import { pushArtifact } from '../helpers/sampleArtifact';
import { MemoryTarget } from '../../src/core/memory';

/** Writes a fallback index for `subject` listing `entries`, whether or not they really refer to it. */
async function forgeFallbackIndex(target: Target, subject: Descriptor, entries: Descriptor[]): Promise<void> {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: entries.map((e) => ({
        mediaType: e.mediaType,
        digest: e.digest,
        size: e.size,
        artifactType: 'application/vnd.hostile',
      })),
    }),
  );
  await target.pushManifest({ mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length }, bytes, {
    tag: fallbackTagOf(subject.digest),
  });
}

/** Two artifacts whose forged fallback tags name each other as referrers: a cycle a → b → a. */
async function forgeReferrerCycle(target: Target): Promise<{ a: Descriptor; b: Descriptor }> {
  const a = (await pushArtifact(target, 'artifact a', { tag: 'cycle-a' })).manifest;
  const b = (await pushArtifact(target, 'artifact b')).manifest;
  await forgeFallbackIndex(target, a, [b]);
  await forgeFallbackIndex(target, b, [a]);
  return { a, b };
}

describe('hostile manifest graphs', function () {
  this.timeout(120_000);
  let root: string;
  let registry: TestRegistry;
  const tally = { tried: 0, held: 0 };
  const held = () => {
    tally.held++;
  };

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-graph-'));
    registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
  });
  after(async () => {
    recordFigures('hostile', {
      'hostile graphs': {
        tried: tally.tried,
        held: tally.held,
        detail: 'cyclic and fan-out graphs: copy and discover terminate or refuse',
      },
    });
    await registry?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('refuses to copy an index that lists itself, or two that list each other, naming the cycle', async () => {
    for (const edges of <Record<string, string[]>[]>[
      { self: ['self'] },
      { x: ['y'], y: ['x'] },
      { r: ['p', 'q'], p: ['q'], q: ['r'] },
    ]) {
      tally.tried++;
      const source = cyclicSource(edges);
      const first = Object.keys(edges)[0]!;
      await assert.rejects(
        copy(source, source.root(first), new MemoryTarget()),
        (e: unknown) =>
          OciError.is(e, 'INVALID_CONTENT') && /refers to itself through its children \(a cycle\)/.test(e.message),
      );
      held();
    }
  });

  it('refuses a million-leaf index tree at the node cap after a bounded number of fetches', async () => {
    tally.tried++;
    const source = fanOutSource(1000);
    await assert.rejects(
      copy(source, source.root, new MemoryTarget()),
      (e: unknown) =>
        OciError.is(e, 'SIZE_EXCEEDED') && /the graph has more than 100000 nodes; refusing to copy it/.test(e.message),
    );
    assert.ok(source.fetches < 1000, `fetched ${source.fetches} indexes before refusing`);
    held();
    tally.tried++;
    const small = fanOutSource(40);
    await assert.rejects(copy(small, small.root, new MemoryTarget(), { maxNodes: 500 }), (e: unknown) =>
      OciError.is(e, 'SIZE_EXCEEDED'),
    );
    held();
  });

  for (const where of ['layout', 'registry'] as const) {
    it(`copies and discovers a forged referrer cycle in a ${where} once per node, through the core and the CLI`, async () => {
      tally.tried += 2;
      const layoutPath = path.join(root, `cycle-${where}`);
      const source: Target =
        where === 'layout'
          ? await LayoutTarget.open(layoutPath, { create: true })
          : new RegistryTarget(clientFor(registry), 'hostile/cycle');
      const { a, b } = await forgeReferrerCycle(source);
      const graph = await buildReferrerGraph(source, a);
      assert.deepEqual(graph.nodes.map((n) => n.descriptor.digest).sort(), [a.digest, b.digest].sort());
      assert.equal(graph.edges.length, 2);
      const ref = where === 'layout' ? `oci:${layoutPath}:cycle-a` : `${registry.host}/hostile/cycle:cycle-a`;
      // discover shows the true graph (b names no subject: a alone) and says what the listing claimed besides.
      const shown = await cliOk(['discover', ref, '--plain-http']);
      assert.equal(shown.stdout.trim().split('\n').length, 1, shown.stdout);
      assert.ok(
        shown.stderr.includes(`${b.digest} is listed as a referrer of ${a.digest} but is not one`),
        shown.stderr,
      );
      const copied = path.join(root, `copied-${where}`);
      const run = await cliOk(['copy', '-r', ref, `oci:${copied}:cycle-a`, '--plain-http', '--format', 'json']);
      const result = JSON.parse(run.stdout) as { progress: { totalItems: number } };
      assert.ok(result.progress.totalItems <= 8, `copied ${result.progress.totalItems} items`);
      // b names no subject: the forged listing is refused by its own manifest, so the copy never enters the cycle.
      const dst = await LayoutTarget.open(copied);
      assert.equal(await dst.exists(b), false, 'the forged referrer was copied');
      assert.ok(run.stderr.includes(`${b.digest} is listed as a referrer of ${a.digest} but is not one`), run.stderr);
      held();
      held();
    });
  }

  it('shows a subject with 3,000 forged referrers as a graph capped at 500 nodes, marked truncated', async () => {
    tally.tried++;
    const layout = await LayoutTarget.open(path.join(root, 'fan-out'), { create: true });
    const subject = (await pushArtifact(layout, 'popular subject', { tag: 'popular' })).manifest;
    const fake = Array.from({ length: 3000 }, (_, i): Descriptor => ({
      mediaType: MediaType.ociManifest,
      digest: digestOf(`referrer ${i}`),
      size: 10,
    }));
    await forgeFallbackIndex(layout, subject, fake);
    const started = Date.now();
    const graph = await buildReferrerGraph(layout, subject);
    assert.equal(graph.nodes.length, 500);
    assert.equal(graph.nodes[0]!.truncated, true);
    assert.ok(Date.now() - started < 60_000);
    // Judged (as discover, the tree and the graph panel do), none is a referrer and none takes a node: the judging
    // budget (JUDGED_PER_NODE a node, 2,000) is read to find out, not all 3,000.
    const judged = await buildJudgedGraph(layout, subject);
    assert.equal(judged.nodes.length, 1);
    assert.equal(judged.nodes[0]!.truncated, true);
    assert.equal(judged.notReferrers.length, JUDGED_PER_NODE * 500);
    held();
  });
});
