// Positions nodes: subjects on the left, their referrers to the right. Trees (nearly every referrer graph) take
// the linear tree layout; anything else goes to dagre.
import type * as Dagre from '@dagrejs/dagre' with { 'resolution-mode': 'import' };
import type { GraphView } from '../../src/protocol/messages';
import type { Placed } from './placed';
import { layoutTree, type Spacing } from './treeLayout';
// dagre is an ES module package; esbuild bundles this require into the browser script.
const dagre = require('@dagrejs/dagre') as typeof Dagre;

export const NODE_WIDTH = 236;
export const NODE_HEIGHT = 72;
const SPACING: Spacing = { width: NODE_WIDTH, height: NODE_HEIGHT, nodesep: 18, ranksep: 90, margin: 24 };

export function layoutGraph(view: GraphView): Placed {
  return layoutTree(view, SPACING) ?? layoutWithDagre(view);
}

function layoutWithDagre(view: GraphView): Placed {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    nodesep: SPACING.nodesep,
    ranksep: SPACING.ranksep,
    marginx: SPACING.margin,
    marginy: SPACING.margin,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of view.nodes) g.setNode(node.digest, { width: NODE_WIDTH, height: NODE_HEIGHT });
  view.edges.forEach((edge, i) => g.setEdge(edge.from, edge.to, {}, `e${i}`));
  dagre.layout(g);
  const nodes = new Map<string, { x: number; y: number }>();
  for (const id of g.nodes()) {
    const n = g.node(id);
    nodes.set(id, { x: n.x, y: n.y });
  }
  const edges = view.edges.map((edge, i) => ({
    from: edge.from,
    to: edge.to,
    points: (g.edge({ v: edge.from, w: edge.to, name: `e${i}` })?.points ?? []) as { x: number; y: number }[],
  }));
  const graph = g.graph();
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
