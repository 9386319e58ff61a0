// A keyboard user walks the referrer graph with the arrow keys (each goes to the nearest node that way), Home and
// End: every node must be reachable from the subject so, whatever shape the graph has.
import * as assert from 'node:assert/strict';
import { nearestInDirection } from '../../media/webview/keyboard';
import { layoutGraph } from '../../media/webview/layout';
import type { GraphEdgeView, GraphNodeView, GraphView } from '../../src/protocol/messages';
import { graphNodeView } from '../helpers/graphNodeView';

const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
const ARROWS = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];

/** A graph of `count` nodes where node i refers to `subjectOf(i)` (and `extra` edges besides). */
function graph(count: number, subjectOf: (i: number) => number, extra: [number, number][] = []): GraphView {
  const nodes: GraphNodeView[] = [];
  const edges: GraphEdgeView[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(graphNodeView(digest(i)));
    if (i > 0) edges.push({ from: digest(subjectOf(i)), to: digest(i), source: 'fallback-tag' });
  }
  for (const [from, to] of extra) edges.push({ from: digest(from), to: digest(to), source: 'cosign-tag' });
  return { location: 'oci:/x', reference: 'oci:/x:v1', root: digest(0), nodes, edges };
}

function unreachable(view: GraphView): string[] {
  const placed = layoutGraph(view);
  const seen = new Set([view.root]);
  const queue = [view.root];
  while (queue.length) {
    const from = placed.nodes.get(queue.shift()!)!;
    for (const key of ARROWS) {
      const next = nearestInDirection(from, placed.nodes, key);
      if (next && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return view.nodes.map((n) => n.digest).filter((d) => !seen.has(d));
}

describe('referrer graph: the arrow keys reach every node', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const shapes: [string, GraphView][] = [
    ['a subject with 40 referrers', graph(41, () => 0)],
    ['a chain of 30', graph(30, (i) => i - 1)],
    ['signatures on SBOMs on an image', graph(60, (i) => (i <= 6 ? 0 : ((i - 1) % 6) + 1))],
    ...Array.from({ length: 20 }, (_, k): [string, GraphView] => [
      `random tree ${k}`,
      graph(5 + Math.floor(random() * 60), (i) => Math.floor(random() * i)),
    ]),
    [
      'a node with two subjects (the general layout)',
      graph(30, (i) => Math.floor(i / 3), [
        [1, 29],
        [2, 17],
      ]),
    ],
  ];
  for (const [name, view] of shapes)
    it(name, () => assert.deepEqual(unreachable(view), [], `unreachable by arrows in ${name}`));
});
