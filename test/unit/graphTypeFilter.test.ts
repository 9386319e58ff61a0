// The graph's artifact-type filter: what the box parses, what the extension accepts from the webview, the rule a
// referrer matches by (family words as the tree groups them, parts of a type or kind name) and the local filter
// the webview applies at once (root kept; only matching referrers, reached through such).
import * as assert from 'node:assert/strict';
import { ARTIFACT_KIND_LABELS, artifactFamilyOf, artifactKindOf } from '../../src/core/graph';
import type { Descriptor } from '../../src/core/oci';
import { filterGraph, matchesFilter, parseArtifactTypes } from '../../src/protocol/filterGraph';
import { webviewMessageProblem, type GraphNodeView, type GraphView } from '../../src/protocol/messages';

const d = (c: string) => `sha256:${c.repeat(64)}`;
/** A node classified by the engine's own rules, as the extension sends it. */
const node = (digest: string, artifactType?: string): GraphNodeView => {
  const descriptor: Descriptor = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest,
    size: 2,
    ...(artifactType ? { artifactType } : {}),
  };
  const kind = artifactKindOf(descriptor);
  return {
    ...descriptor,
    kind,
    kindLabel: ARTIFACT_KIND_LABELS[kind],
    family: artifactFamilyOf(descriptor),
    annotations: {},
    descriptorJson: '{}',
    depth: 0,
    truncated: false,
  };
};
const SBOM = 'application/spdx+json';
const CYCLONEDX = 'application/vnd.cyclonedx+json';
const SIG = 'application/vnd.cncf.notary.signature';
const COSIGN = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const INTOTO = 'application/vnd.in-toto+json';
const NOTE = 'application/vnd.example.note.v1';
const names = (words: string[], types: (string | undefined)[]) =>
  types.filter((type, i) => matchesFilter(words, node(d(String(i % 10)), type)));

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

  it('a family word matches every referrer the tree groups under it, in the singular or plural, any case', () => {
    const types = [SBOM, CYCLONEDX, SIG, COSIGN, INTOTO, NOTE, undefined];
    assert.deepEqual(names(['sbom'], types), [SBOM, CYCLONEDX]);
    assert.deepEqual(names(['SBOMs'], types), [SBOM, CYCLONEDX]);
    assert.deepEqual(names(['signature'], types), [SIG, COSIGN], 'a sigstore bundle is a signature by its family');
    assert.deepEqual(names(['attestations'], types), [INTOTO]);
    assert.deepEqual(names(['sbom', 'attestation'], types), [SBOM, CYCLONEDX, INTOTO]);
  });

  it('a word matches a part of the artifact type or of the kind name, any case; an exact type still matches', () => {
    const types = [SBOM, CYCLONEDX, SIG, COSIGN, INTOTO, NOTE, undefined];
    assert.deepEqual(names(['spdx'], types), [SBOM]);
    assert.deepEqual(names(['NOTARY'], types), [SIG]);
    assert.deepEqual(names(['cosign'], types), [COSIGN], 'by its kind name, "cosign signature"');
    assert.deepEqual(names(['example.note'], types), [NOTE]);
    assert.deepEqual(names([SBOM], types), [SBOM]);
    assert.deepEqual(names(['nothing-like-it'], types), []);
    assert.deepEqual(names([], types), types, 'no words: every referrer');
  });

  it('"sbom" over five referrers, two of them SBOMs, keeps the two (the new-user report)', () => {
    const view: GraphView = {
      location: 'oci:/x',
      reference: 'oci:/x:v1',
      root: d('0'),
      nodes: [node(d('0')), ...[SBOM, SIG, CYCLONEDX, NOTE, INTOTO].map((t, i) => node(d(String(i + 1)), t))],
      edges: [1, 2, 3, 4, 5].map((i) => ({ from: d('0'), to: d(String(i)), source: 'fallback-tag' as const })),
    };
    assert.deepEqual(digests(filterGraph(view, ['sbom'])), [d('0'), d('1'), d('3')]);
    assert.deepEqual(digests(filterGraph(view, ['sig'])), [d('0'), d('2')], 'a part of a word matches too');
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
