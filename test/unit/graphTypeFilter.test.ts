// The graph's artifact-type filter: what the box parses, what the extension accepts from the webview, and the
// local filter the webview applies at once (root kept; only referrers of the chosen types, reached through such).
import * as assert from 'node:assert/strict';
import { filterGraph, parseArtifactTypes } from '../../src/protocol/filterGraph';
import { webviewMessageProblem, type GraphNodeView, type GraphView } from '../../src/protocol/messages';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const node = (digest: string, artifactType?: string): GraphNodeView => ({
  digest,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  ...(artifactType ? { artifactType } : {}),
  size: 2,
  kind: 'other',
  kindLabel: 'Artifact',
  annotations: {},
  descriptorJson: '{}',
  depth: 0,
  truncated: false,
});
const SBOM = 'application/spdx+json';
const SIG = 'application/vnd.cncf.notary.signature';

// root ← sbom ← sig-of-sbom; root ← sig; root ← untyped
const GRAPH: GraphView = {
  location: 'oci:/x',
  reference: 'oci:/x:v1',
  root: d('0'),
  nodes: [node(d('0')), node(d('1'), SBOM), node(d('2'), SIG), node(d('3'), SIG), node(d('4'))],
  edges: [
    { from: d('0'), to: d('1'), source: 'api' },
    { from: d('1'), to: d('2'), source: 'api' },
    { from: d('0'), to: d('3'), source: 'fallback-tag' },
    { from: d('0'), to: d('4'), source: 'fallback-tag' },
  ],
};

const digests = (view: GraphView) => view.nodes.map((n) => n.digest);

describe('graph artifact-type filter', () => {
  it('parses the box: commas or spaces between types, each once', () => {
    assert.deepEqual(parseArtifactTypes(` ${SBOM},${SIG}  ${SBOM} ,, `), [SBOM, SIG]);
    assert.deepEqual(parseArtifactTypes('  '), []);
  });

  it('keeps the root and the referrers of the chosen types reached through such referrers only', () => {
    assert.deepEqual(digests(filterGraph(GRAPH, [SIG])), [d('0'), d('3')], 'a signature of an SBOM is hidden with it');
    assert.deepEqual(digests(filterGraph(GRAPH, [SBOM, SIG])), [d('0'), d('1'), d('2'), d('3')]);
    assert.deepEqual(filterGraph(GRAPH, [SIG]).edges, [{ from: d('0'), to: d('3'), source: 'fallback-tag' }]);
    assert.deepEqual(digests(filterGraph(GRAPH, ['application/none'])), [d('0')]);
    assert.equal(filterGraph(GRAPH, []), GRAPH, 'no filter: the graph as it is');
  });

  it('the extension accepts a filter request only with a short list of one-word types', () => {
    const request = (artifactTypes: unknown) => ({
      type: 'request',
      id: 1,
      request: { kind: 'filter', artifactTypes },
    });
    assert.equal(webviewMessageProblem(request([SBOM, SIG])), undefined);
    assert.equal(webviewMessageProblem(request([])), undefined);
    assert.match(webviewMessageProblem(request(SBOM))!, /not a list/);
    assert.match(webviewMessageProblem(request([7]))!, /not one word/);
    assert.match(webviewMessageProblem(request(['a b']))!, /not one word/);
    assert.match(webviewMessageProblem(request(['x'.repeat(256)]))!, /not one word/);
    assert.match(webviewMessageProblem(request(Array(33).fill(SBOM)))!, /more than 32/);
  });
});
