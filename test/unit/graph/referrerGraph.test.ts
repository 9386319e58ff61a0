// The referrer graph over in-memory stores: every node once with its depth, every edge with where it was found
// (API, fallback tag, cosign tag), and limits that mark the nodes they cut short.
import * as assert from 'node:assert/strict';
import { attachBytes } from '../../../src/core/supplyChain';
import { buildReferrerGraph } from '../../../src/core/graph';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { MemoryTarget } from '../../../src/core/memory';
import type { Descriptor } from '../../../src/core/oci';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { pushArtifact } from '../../helpers/sampleArtifact';

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
