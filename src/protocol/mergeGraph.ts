// Adds a subgraph loaded under one node (lazy expansion) to the graph the webview already has.
import type { GraphEdgeView, GraphParts, GraphView } from './messages';

export function mergeGraph(view: GraphView, parts: GraphParts, expanded: string): GraphView {
  const nodes = new Map(view.nodes.map((n) => [n.digest, n]));
  for (const node of parts.nodes) {
    const known = nodes.get(node.digest);
    // A node already drawn keeps its depth (its place in the layout) but learns whether more lies below it.
    nodes.set(
      node.digest,
      known
        ? { ...known, truncated: node.digest === expanded ? node.truncated : known.truncated && node.truncated }
        : node,
    );
  }
  const edgeKey = (e: GraphEdgeView) => `${e.from}>${e.to}>${e.source}`;
  const edges = new Map(view.edges.map((e) => [edgeKey(e), e]));
  for (const edge of parts.edges) edges.set(edgeKey(edge), edge);
  const notReferrers = [...new Set([...(view.notReferrers ?? []), ...(parts.notReferrers ?? [])])];
  return {
    ...view,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    ...(notReferrers.length ? { notReferrers } : {}),
  };
}
