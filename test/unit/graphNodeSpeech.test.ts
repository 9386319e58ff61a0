// What a screen reader is given for the referrer graph's nodes (media/webview/nodeSpeech.ts): a name that leads with
// the drawn texts and says what only the drawing shows (artifact type, what a referrer refers to and where it was
// found, a verification's detail, referrers not loaded yet), and each node's place in the tree, depth-first.
import * as assert from 'node:assert/strict';
import { readGraph } from '../../media/webview/nodeSpeech';
import type { GraphEdgeView, GraphNodeView, GraphView } from '../../src/protocol/messages';
import { graphNodeView } from '../helpers/graphNodeView';
import { MAX_DETAIL_LENGTH } from '../../src/core/oci';

const digest = (i: number) => `sha256:${String(i).repeat(64).slice(0, 64)}`;

function node(i: number, extra: Partial<GraphNodeView> = {}): GraphNodeView {
  return graphNodeView(digest(i), {
    artifactType: 'application/vnd.example.note.v1',
    size: 731,
    created: '2026-12-06T05:57:27Z',
    ...extra,
  });
}

function graph(nodes: GraphNodeView[], edges: GraphEdgeView[]): GraphView {
  return { location: 'oci:/x', reference: 'oci:/x:v1', root: digest(1), nodes, edges };
}

describe('referrer graph for screen readers', () => {
  // 1 ← 2 ← 4, 1 ← 3: listed breadth-first, as the walk finds them.
  const view = graph(
    [node(1, { artifactType: undefined }), node(2), node(3), node(4)],
    [
      { from: digest(1), to: digest(2), source: 'fallback-tag', tag: 'sha256-1111' },
      { from: digest(1), to: digest(2), source: 'api' },
      { from: digest(1), to: digest(3), source: 'api' },
      { from: digest(2), to: digest(4), source: 'api' },
    ],
  );

  it('orders the nodes depth-first, each with its level, its place among its subject’s referrers and whether it has referrers', () => {
    const { order, speech } = readGraph(view);
    assert.deepEqual(order, [digest(1), digest(2), digest(4), digest(3)]);
    const places = order.map((d) => {
      const { level, position, siblings, expanded } = speech.get(d)!;
      return [level, position, siblings, expanded];
    });
    assert.deepEqual(places, [
      [1, 1, 1, true],
      [2, 1, 2, true],
      [3, 1, 1, undefined],
      [2, 2, 2, undefined],
    ]);
  });

  it('names a node by its drawn texts first, then its type and what it refers to, with 12-digit digests only', () => {
    const { speech } = readGraph(view);
    assert.equal(
      speech.get(digest(1))!.name,
      'Artifact (subject), sha256:111111111111, manifest 731 B · 2026-12-06, application/vnd.oci.image.manifest.v1+json',
    );
    assert.equal(
      speech.get(digest(2))!.name,
      'Artifact, sha256:222222222222, manifest 731 B · 2026-12-06, application/vnd.example.note.v1, refers to sha256:111111111111, found through the fallback tag sha256-1111 and the referrers API',
    );
    for (const { name } of speech.values()) assert.doesNotMatch(name, /[0-9a-f]{13}/);
  });

  it('says a verification’s outcome and detail, and that referrers are not loaded yet (and that + loads them)', () => {
    const { speech } = readGraph(
      graph([node(1, { truncated: true, verification: { status: 'failed', detail: 'signature does not match' } })], []),
    );
    const spoken = speech.get(digest(1))!;
    assert.equal(spoken.expanded, false);
    assert.equal(
      spoken.name,
      'Artifact (subject), sha256:111111111111, manifest 731 B · 2026-12-06, failed, + more referrers not loaded, press plus to load them, application/vnd.example.note.v1, verification: signature does not match',
    );
  });

  it('shows control and bidirectional characters in registry text as code points instead of passing them on', () => {
    const { speech } = readGraph(graph([node(1, { artifactType: 'application/x\u202e\u0007evil' })], []));
    const name = speech.get(digest(1))!.name;
    assert.ok(!name.includes('\u202e') && !name.includes('\u0007'), name);
    assert.match(name, /U\+202E/);
  });

  it('cuts each registry value in a name as the tree cuts a detail, so a megabyte type or tag is not read out whole', () => {
    const long = (letter: string) => letter.repeat(100_000);
    const { speech } = readGraph(
      graph(
        [
          node(1),
          node(2, {
            artifactType: long('a'),
            created: long('c'),
            verification: { status: 'failed', detail: long('d') },
          }),
        ],
        [{ from: digest(1), to: digest(2), source: 'fallback-tag', tag: long('t') }],
      ),
    );
    const name = speech.get(digest(2))!.name;
    for (const letter of ['a', 'c', 'd', 't'])
      assert.match(
        name,
        new RegExp(`(^|[^${letter}])${letter}{${MAX_DETAIL_LENGTH - 1}}…`),
        `${letter}: ${name.length}`,
      );
    assert.ok(name.length < 5 * MAX_DETAIL_LENGTH, `${name.length} characters`);
  });
});
