// The referrer graph over in-memory stores: every node once with its depth, every edge with where it was found
// (API, fallback tag, cosign tag), and limits that mark the nodes they cut short; its root named by its manifest.
import * as assert from 'node:assert/strict';
import { attachBytes } from '../../../src/core/supplyChain';
import {
  artifactKindOf,
  buildJudgedGraph,
  buildReferrerGraph,
  describeGraphRoot,
  judgedReferrers,
  JUDGED_PER_NODE,
  MAX_REFERRERS_READ,
} from '../../../src/core/graph';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { addToFallbackIndex } from '../../../src/core/graph/fallbackIndex';
import { EMPTY_JSON } from '../../../src/core/content';
import { MemoryTarget } from '../../../src/core/memory';
import { Annotation, type Descriptor, EMPTY_DESCRIPTOR, type ImageManifest, MediaType } from '../../../src/core/oci';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';
import { CountingTarget } from './countingTarget';

const attach = (target: MemoryTarget, subject: Descriptor, text: string) =>
  attachBytes(target, subject, {
    artifactType: 'application/vnd.example',
    documents: [{ title: `${text}.txt`, mediaType: 'text/plain', bytes: Buffer.from(text) }],
  });

describe('buildReferrerGraph over in-memory stores', () => {
  for (const referrersApi of [false, true]) {
    const source = referrersApi ? 'api' : 'fallback-tag';
    it(`records each referrer once with its depth and each edge as found through the ${source}`, async () => {
      const target = new MemoryTarget({ referrersApi });
      const tree = await pushReferrerTree(target);

      const graph = await buildReferrerGraph(target, tree.subject);

      const depths = Object.fromEntries(graph.nodes.map((n) => [n.descriptor.digest, n.depth]));
      assert.deepEqual(depths, {
        [tree.subject.digest]: 0,
        [tree.sbom.digest]: 1,
        [tree.notes.digest]: 1,
        [tree.signature.digest]: 2,
      });
      const edges = graph.edges.map((e) => `${e.from} -> ${e.to} (${e.source})`).sort();
      assert.deepEqual(
        edges,
        [
          `${tree.subject.digest} -> ${tree.sbom.digest} (${source})`,
          `${tree.subject.digest} -> ${tree.notes.digest} (${source})`,
          `${tree.sbom.digest} -> ${tree.signature.digest} (${source})`,
        ].sort(),
      );
      assert.ok(graph.nodes.every((n) => !n.truncated));
    });
  }

  it('finds a cosign signature through its tag and records the tag on the edge', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const tag = `${fallbackTagOf(subject.digest)}.sig`;
    const signature = (await pushArtifact(target, 'cosign signature', { tag })).manifest;
    const graph = await buildReferrerGraph(target, subject);
    assert.deepEqual(graph.edges, [{ from: subject.digest, to: signature.digest, source: 'cosign-tag', tag }]);
  });

  it('stops at the depth and node limits and marks the nodes whose referrers it did not walk', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const first = await attach(target, subject, 'first');
    await attach(target, subject, 'second');
    await attach(target, first, 'below first');

    const shallow = await buildReferrerGraph(target, subject, { maxDepth: 1 });
    assert.equal(shallow.nodes.length, 3);
    assert.deepEqual(
      shallow.nodes.filter((n) => n.truncated).map((n) => n.depth),
      [1, 1],
      'both referrers at the depth limit are marked',
    );

    const narrow = await buildReferrerGraph(target, subject, { maxNodes: 2 });
    assert.deepEqual(
      narrow.nodes.map((n) => [n.descriptor.digest, n.truncated]),
      [
        [subject.digest, true],
        [first.digest, true],
      ],
      'the subject lost "second" to the node limit, and "first" lost its own referrer',
    );
  });
});

describe('buildJudgedGraph: the graph of true referrers, with what listings claimed besides', () => {
  it('leaves out a manifest listed under a subject it does not name, keeps it where it is a referrer, and names the stray', async () => {
    const target = new CountingTarget();
    const tree = await pushReferrerTree(target);
    const unrelated = (await pushArtifact(target, 'prod', { tag: 'prod' })).manifest;
    // Forged entries: the signature (a true referrer of the SBOM) under the subject too; an unrelated image.
    await addToFallbackIndex(target, tree.subject.digest, tree.signature);
    await addToFallbackIndex(target, tree.subject.digest, unrelated);

    const graph = await buildJudgedGraph(target, tree.subject);

    assert.deepEqual(
      graph.edges.map((e) => `${e.from} -> ${e.to}`).sort(),
      [
        `${tree.subject.digest} -> ${tree.sbom.digest}`,
        `${tree.subject.digest} -> ${tree.notes.digest}`,
        `${tree.sbom.digest} -> ${tree.signature.digest}`,
      ].sort(),
    );
    assert.ok(!graph.nodes.some((n) => n.descriptor.digest === unrelated.digest));
    assert.deepEqual(graph.notReferrers, [
      { digest: unrelated.digest, listedUnder: tree.subject.digest, source: 'fallback-tag' },
    ]);
  });

  it('asks the cheaper filter first: a referrer it leaves out costs no manifest read', async () => {
    const target = new CountingTarget();
    const tree = await pushReferrerTree(target);
    const onlySboms = {
      accept: (_subject: string, referrer: { descriptor: Descriptor }) =>
        Promise.resolve(referrer.descriptor.artifactType === 'application/spdx+json'),
    };
    target.manifestFetches = 0;
    await buildReferrerGraph(target, tree.subject, onlySboms);
    const listingReads = target.manifestFetches;
    target.manifestFetches = 0;
    const graph = await buildJudgedGraph(target, tree.subject, onlySboms);
    assert.deepEqual(
      graph.nodes.map((n) => n.descriptor.digest),
      [tree.subject.digest, tree.sbom.digest],
    );
    assert.equal(target.manifestFetches, listingReads + 1, 'besides the listings, only the SBOM was read, to judge it');
  });
});

describe('describeGraphRoot: the root named as the tree names it', () => {
  const DEMO_TYPE = 'application/vnd.example.demo.v1';
  const annotations = { 'org.example.team': 'platform', 'org.opencontainers.image.description': 'demo' };

  async function pushDemo(target: MemoryTarget, extra: Partial<ImageManifest> = { artifactType: DEMO_TYPE }) {
    await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
    const bytes = artifactManifest([], { annotations, ...extra });
    const descriptor = manifestDescriptor(bytes);
    await target.pushManifest(descriptor, bytes, { tag: 'v1' });
    return { descriptor, manifest: JSON.parse(bytes.toString()) as ImageManifest };
  }

  it('gives a resolved tag its artifactType and annotations, so it is an "Artifact", not an "Image"', async () => {
    const target = new CountingTarget();
    await pushDemo(target);
    const resolved = await target.resolve('v1');
    assert.equal(artifactKindOf(resolved), 'image', 'a resolved descriptor alone says "image" (the bug)');

    const root = await describeGraphRoot(target, resolved);

    assert.equal(root.artifactType, DEMO_TYPE);
    assert.deepEqual(root.annotations, annotations);
    assert.equal(artifactKindOf(root), 'other');
    assert.equal(target.manifestFetches, 1);
    const graph = await buildReferrerGraph(target, root);
    assert.equal(graph.nodes[0]!.descriptor.artifactType, DEMO_TYPE);
  });

  it("names a manifest without artifactType by its config's media type (a Helm chart), as the tree does", async () => {
    const target = new MemoryTarget();
    const config = { mediaType: MediaType.helmConfig, digest: EMPTY_DESCRIPTOR.digest, size: EMPTY_DESCRIPTOR.size };
    const { descriptor } = await pushDemo(target, { artifactType: undefined, config });
    const root = await describeGraphRoot(target, descriptor);
    assert.equal(artifactKindOf(root), 'helm-chart');
  });

  it('reads nothing for a manifest the caller has, nor for a descriptor from a referrers list', async () => {
    const target = new CountingTarget();
    const { descriptor, manifest } = await pushDemo(target);
    const given = await describeGraphRoot(target, descriptor, { manifest });
    assert.equal(given.artifactType, DEMO_TYPE);
    assert.deepEqual(given.annotations, annotations);
    const listed = { ...descriptor, artifactType: DEMO_TYPE, annotations };
    assert.equal(await describeGraphRoot(target, listed), listed);
    assert.equal(target.manifestFetches, 0);
  });

  it("keeps the descriptor's own annotations (a layout's ref name) beside the manifest's", async () => {
    const target = new MemoryTarget();
    const { descriptor } = await pushDemo(target);
    const root = await describeGraphRoot(target, {
      ...descriptor,
      annotations: { [Annotation.refName]: 'v1' },
    });
    assert.deepEqual(root.annotations, { ...annotations, [Annotation.refName]: 'v1' });
  });

  it('leaves the root of a manifest that is gone as it was (its referrers may remain)', async () => {
    const target = new MemoryTarget();
    const gone: Descriptor = { mediaType: MediaType.ociManifest, digest: `sha256:${'0'.repeat(64)}`, size: 2 };
    assert.deepEqual(await describeGraphRoot(target, gone), gone);
  });
});

describe('buildJudgedGraph: what a hostile listing can cost', () => {
  /** A MemoryTarget that records every manifest read by descriptor (judging); listings read by tag. */
  class ReadRecorder extends MemoryTarget {
    readonly read: string[] = [];
    override async fetchManifest(ref: string | Descriptor, options?: { signal?: AbortSignal }) {
      if (typeof ref !== 'string') this.read.push(ref.digest);
      return super.fetchManifest(ref, options);
    }
  }

  for (const typed of [true, false])
    it(`judges at most JUDGED_PER_NODE listed referrers per node, however deep the chain of true referrers; forged ones take no node (entries ${typed ? 'with' : 'without'} an artifact type)`, async () => {
      const target = new ReadRecorder();
      const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
      // A chain of five true referrers, each level's listing padded with 30 forged entries after the true one.
      let above = subject;
      const truths = new Set([subject.digest]);
      for (let level = 0; level < 5; level++) {
        const below = await attach(target, above, `level ${level}`);
        truths.add(below.digest);
        const forged = Array.from({ length: 30 }, (_, i) => ({
          ...manifestDescriptor(Buffer.from(`forged ${level}.${i}`)),
          ...(typed ? { artifactType: 'application/vnd.example' } : {}),
        }));
        const index = Buffer.from(
          JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [below, ...forged] }),
        );
        await target.pushManifest(manifestDescriptor(index, MediaType.ociIndex), index, {
          tag: fallbackTagOf(above.digest),
        });
        above = below;
      }

      target.read.length = 0;
      const graph = await buildJudgedGraph(target, subject, { maxNodes: 20 });

      // Each read once to judge it, and one that names no type once more to learn it (for the type filter).
      const most = (typed ? 1 : 2) * JUDGED_PER_NODE * 20;
      assert.ok(
        target.read.length <= most,
        `${target.read.length} manifest reads of listed referrers, beyond the ${most} the budget allows`,
      );
      assert.ok(graph.nodes.length <= 20);
      // The forged entries took no node: the true referrers of the first levels are all there.
      assert.ok(graph.nodes.length >= 3, `${graph.nodes.length} nodes`);
      assert.ok(graph.nodes.every((n) => truths.has(n.descriptor.digest)));
      assert.ok(
        graph.nodes.some((n) => n.truncated),
        'what was not judged is marked as cut short',
      );
    });
});

describe('judgedReferrers: forged entries listed first do not hide the true referrers', () => {
  it('finds the true referrers listed after 600 forged fallback entries (each judged, none taking a place)', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const truths = [];
    for (let i = 0; i < 3; i++) truths.push(await attach(target, subject, `true ${i}`));
    // Whoever can write the fallback tag puts 600 entries naming nothing (or another artifact) before them.
    const forged = Array.from({ length: MAX_REFERRERS_READ + 101 }, (_, i) => ({
      ...manifestDescriptor(Buffer.from(`forged ${i}`)),
      artifactType: 'application/vnd.example',
    }));
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [...forged, ...truths] }),
    );
    await target.pushManifest(manifestDescriptor(index, MediaType.ociIndex), index, {
      tag: fallbackTagOf(subject.digest),
    });
    const judged = await judgedReferrers(target, subject);
    assert.deepEqual(judged.referrers.map((r) => r.descriptor.digest).sort(), truths.map((t) => t.digest).sort());
    assert.equal(judged.truncated, false, 'every listed entry was judged');
    assert.equal(judged.notReferrers.length, forged.length);
  });
});
