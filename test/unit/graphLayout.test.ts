// The webview's layout at the size the graph is capped to (500 nodes): every node placed, none overlapping, each
// referrer to the right of its subject, and fast enough to redraw after an expansion. Trees take the linear tree
// layout; a graph where a node has two subjects still gets placed (by dagre).
import * as assert from 'node:assert/strict';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from '../../media/webview/layout';
import type { GraphEdgeView, GraphNodeView, GraphView } from '../../src/protocol/messages';
import { graphNodeView } from '../helpers/graphNodeView';

const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;

function bigGraph(count: number): GraphView {
  const nodes: GraphNodeView[] = [];
  const edges: GraphEdgeView[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(graphNodeView(digest(i)));
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
    assertReferrersRightOfSubjects(bigGraph(500), placed);
  });

  it('lays out a 500-node tree in well under a second (linear, no dagre)', () => {
    const view = bigGraph(500);
    layoutGraph(view); // warm-up: the first call compiles
    const started = performance.now();
    layoutGraph(view);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 250, `tree layout took ${elapsed.toFixed(0)} ms`);
  });

  it('places a chain of 500 referrers, each in its own column, without running out of stack', () => {
    const view = bigGraph(1);
    for (let i = 1; i < 500; i++) {
      view.nodes.push({ ...view.nodes[0]!, digest: digest(i) });
      view.edges.push({ from: digest(i - 1), to: digest(i), source: 'api' });
    }
    const placed = layoutGraph(view);
    assert.equal(new Set([...placed.nodes.values()].map((p) => p.x)).size, 500);
    assertReferrersRightOfSubjects(view, placed);
  });

  it("a subject's edges share one trunk beside it and each ends in a horizontal run of its own (32 referrers)", () => {
    const view = bigGraph(33);
    const placed = layoutGraph(view);
    const subject = placed.nodes.get(digest(0))!;
    const trunks = new Set<number>();
    for (const edge of placed.edges) {
      const [start, ...rest] = edge.points;
      const end = rest[rest.length - 1]!;
      const before = rest[rest.length - 2]!;
      const to = placed.nodes.get(edge.to)!;
      assert.equal(start!.y, subject.y, 'leaves its subject level');
      assert.ok(
        edge.points.slice(1).every((p, i) => p.x === edge.points[i]!.x || p.y === edge.points[i]!.y),
        `square, no diagonal: ${JSON.stringify(edge.points)}`,
      );
      assert.equal(before.y, to.y, 'the last run is level with its referrer');
      assert.equal(end.x, to.x - NODE_WIDTH / 2, 'it ends at its referrer');
      // Room for a label on the run that is this edge's alone.
      assert.ok(end.x - before.x >= 60, `the run is ${end.x - before.x} px`);
      trunks.add(before.x);
    }
    assert.equal(trunks.size, 1, 'one trunk for all 32');
    assert.ok([...trunks][0]! - (subject.x + NODE_WIDTH / 2) <= 20, 'the trunk runs beside the subject');
  });

  it('falls back to the general layout when a node has two subjects, and still places every node apart', () => {
    const view = bigGraph(30);
    view.edges.push({ from: digest(1), to: digest(29), source: 'cosign-tag' });
    const placed = layoutGraph(view);
    assert.equal(placed.nodes.size, 30);
    assert.equal(placed.edges.length, 30);
    const boxes = [...placed.nodes.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const apart =
          Math.abs(boxes[i]!.x - boxes[j]!.x) >= NODE_WIDTH || Math.abs(boxes[i]!.y - boxes[j]!.y) >= NODE_HEIGHT;
        assert.ok(apart, `nodes ${i} and ${j} overlap`);
      }
    }
  });
});

function assertReferrersRightOfSubjects(view: GraphView, placed: ReturnType<typeof layoutGraph>): void {
  for (const edge of view.edges)
    assert.ok(
      placed.nodes.get(edge.to)!.x - placed.nodes.get(edge.from)!.x >= NODE_WIDTH,
      `${edge.to} is not right of its subject`,
    );
  for (const edge of placed.edges) assert.ok(edge.points.length >= 2, 'an edge has no points');
}
