// The pure pieces behind the referrer graph: kinds from descriptors, merging a lazily loaded subgraph, the
// strict CSP text and keyboard direction finding (annotation input parsing: annotationText.test.ts).
import * as assert from 'node:assert/strict';
import { artifactFamilyOf, artifactKindOf } from '../../src/core/graph/artifactKind';
import { MediaType } from '../../src/core/oci/mediaTypes';
import { mergeGraph } from '../../src/protocol/mergeGraph';
import { isWebviewMessage, type GraphNodeView, type GraphView } from '../../src/protocol/messages';
import { graphNodeView } from '../helpers/graphNodeView';
import { nearestInDirection } from '../../media/webview/keyboard';

const manifest = (artifactType?: string, annotations?: Record<string, string>) => ({
  mediaType: MediaType.ociManifest,
  digest: `sha256:${'a'.repeat(64)}`,
  size: 1,
  ...(artifactType ? { artifactType } : {}),
  ...(annotations ? { annotations } : {}),
});

function node(digest: string, depth: number, truncated: boolean): GraphNodeView {
  return graphNodeView(digest, { depth, truncated });
}

describe('referrer graph building blocks', () => {
  it('names every kind the graph draws from the descriptor alone', () => {
    assert.equal(artifactKindOf(manifest(MediaType.notarySignature)), 'notary-signature');
    assert.equal(artifactKindOf(manifest('application/vnd.dev.cosign.artifact.sig.v1+json')), 'cosign-signature');
    assert.equal(artifactKindOf(manifest(MediaType.spdx)), 'spdx-sbom');
    assert.equal(artifactKindOf(manifest(MediaType.cyclonedx)), 'cyclonedx-sbom');
    assert.equal(artifactKindOf(manifest('application/vnd.in-toto+json')), 'in-toto-attestation');
    assert.equal(
      artifactKindOf(manifest(undefined, { 'vnd.docker.reference.type': 'attestation-manifest' })),
      'buildx-attestation',
    );
    assert.equal(artifactKindOf(manifest(MediaType.helmConfig)), 'helm-chart');
    assert.equal(artifactKindOf(manifest(MediaType.wasmConfig)), 'wasm');
    assert.equal(artifactKindOf(manifest()), 'image');
    assert.equal(artifactKindOf({ ...manifest(), mediaType: MediaType.ociIndex }), 'image-index');
    assert.equal(artifactKindOf(manifest('application/vnd.example.thing')), 'other');
  });

  it('classifies once: the tree groups referrers by the family of the kind the graph shows', () => {
    const cases: [string, string, string][] = [
      ['application/vnd.syft+json', 'sbom', 'sbom'],
      ['application/vnd.dsse.envelope.v1+json', 'attestation', 'attestation'],
      ['application/vnd.example.provenance+json', 'attestation', 'attestation'],
      ['application/vnd.example.signature', 'signature', 'signature'],
      [MediaType.cosignSimpleSigning, 'cosign-signature', 'signature'],
      [MediaType.helmConfig, 'helm-chart', 'other'],
    ];
    for (const [type, kind, family] of cases) {
      assert.equal(artifactKindOf(manifest(type)), kind, type);
      assert.equal(artifactFamilyOf(manifest(type)), family, type);
    }
  });

  it('merges an expanded subgraph: new nodes and edges once, known nodes keep their depth, the expanded node loses "truncated"', () => {
    const view: GraphView = {
      location: 'oci:/x',
      reference: 'oci:/x:v1',
      root: 'r',
      nodes: [node('r', 0, false), node('a', 1, true)],
      edges: [{ from: 'r', to: 'a', source: 'fallback-tag' }],
    };
    const merged = mergeGraph(
      view,
      {
        nodes: [node('a', 1, false), node('b', 2, true)],
        edges: [
          { from: 'a', to: 'b', source: 'fallback-tag' },
          { from: 'r', to: 'a', source: 'fallback-tag' },
        ],
      },
      'a',
    );
    assert.deepEqual(
      merged.nodes.map((n) => [n.digest, n.depth, n.truncated]),
      [
        ['r', 0, false],
        ['a', 1, false],
        ['b', 2, true],
      ],
    );
    assert.equal(merged.edges.length, 2);
  });

  it('accepts only well-formed webview messages', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'request', id: 3, request: { kind: 'expand', digest: 'sha256:x' } }));
    assert.ok(!isWebviewMessage({ type: 'request', id: '3', request: { kind: 'expand' } }));
    assert.ok(!isWebviewMessage({ type: 'request', id: 1, request: { kind: 'eval' } }));
    assert.ok(!isWebviewMessage('ready'));
  });

  it('finds the nearest node in an arrow key’s direction, preferring nodes in line', () => {
    const at = new Map([
      ['left', { x: 0, y: 0 }],
      ['right', { x: 100, y: 0 }],
      ['diagonal', { x: 60, y: 80 }],
      ['below', { x: 0, y: 90 }],
    ]);
    assert.equal(nearestInDirection({ x: 0, y: 0 }, at, 'ArrowRight'), 'right');
    assert.equal(nearestInDirection({ x: 0, y: 0 }, at, 'ArrowDown'), 'below');
    assert.equal(nearestInDirection({ x: 100, y: 0 }, at, 'ArrowLeft'), 'left');
    assert.equal(nearestInDirection({ x: 0, y: 0 }, at, 'ArrowUp'), undefined);
  });
});
