// The webview's dagre layout at the size the graph is capped to (500 nodes): every node placed, none overlapping,
// and fast enough to redraw after an expansion.
import * as assert from 'node:assert/strict';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from '../../media/webview/layout';
import type { GraphEdgeView, GraphNodeView, GraphView } from '../../src/protocol/messages';

function bigGraph(count: number): GraphView {
  const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
  const nodes: GraphNodeView[] = [];
  const edges: GraphEdgeView[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ digest: digest(i), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1, kind: 'other', kindLabel: 'Artifact', annotations: {}, descriptorJson: '{}', depth: 0, truncated: false });
    // Each node refers to one of the first few dozen: a wide, shallow graph like signatures on SBOMs on an image.
    if (i > 0) edges.push({ from: digest(i <= 40 ? 0 : (i % 40) + 1), to: digest(i), source: 'fallback-tag' });
  }
  return { location: 'oci:/x', reference: 'oci:/x:v1', root: digest(0), nodes, edges };
}

describe('referrer graph layout', () => {
  it('places 500 nodes in columns without overlaps, within seconds even on a loaded machine', function () {
    this.timeout(20_000);
    const started = Date.now();
    const placed = layoutGraph(bigGraph(500));
    const elapsed = Date.now() - started;
    assert.equal(placed.nodes.size, 500);
    assert.equal(placed.edges.length, 499);
    const boxes = [...placed.nodes.values()];
    const byColumn = new Map<number, number[]>();
    for (const box of boxes) byColumn.set(Math.round(box.x), [...(byColumn.get(Math.round(box.x)) ?? []), box.y]);
    for (const ys of byColumn.values()) {
      ys.sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) assert.ok(ys[i]! - ys[i - 1]! >= NODE_HEIGHT, 'nodes in one column overlap');
    }
    assert.ok(byColumn.size >= 3, 'subjects, referrers and their referrers form columns');
    assert.ok(placed.width >= NODE_WIDTH * 3);
    assert.ok(elapsed < 5000, `layout took ${elapsed} ms`);
  });
});
