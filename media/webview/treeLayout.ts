// Referrer graphs are almost always trees (a manifest has one `subject`), and a tree lays out in linear time:
// leaves stacked top to bottom in walk order, each subject centred on its referrers. dagre's general layout takes
// seconds for 500 nodes on a busy machine, so it is kept for graphs that are not trees.
import type { GraphView } from '../../src/protocol/messages';
import type { Placed } from './placed';

/** How far right of its subject the trunk of a subject's edges runs. */
const TRUNK_OFFSET = 14;

export interface Spacing {
  width: number;
  height: number;
  nodesep: number;
  ranksep: number;
  margin: number;
}

/** The tree layout of `view`, or undefined when some node has two subjects or is not reachable from the root. */
export function layoutTree(view: GraphView, s: Spacing): Placed | undefined {
  const children = new Map<string, string[]>();
  const parent = new Map<string, string>();
  for (const edge of view.edges) {
    const known = parent.get(edge.to);
    if (known === edge.from) continue; // the same referrer found twice (API and fallback tag)
    if (known !== undefined || edge.to === view.root) return undefined;
    parent.set(edge.to, edge.from);
    children.set(edge.from, [...(children.get(edge.from) ?? []), edge.to]);
  }
  const nodes = new Map<string, { x: number; y: number }>();
  let leaves = 0;
  let deepest = 0;
  // Depth-first with an explicit stack (chains can be long): children are placed before their subject.
  const stack: { id: string; depth: number; next: number }[] = [{ id: view.root, depth: 0, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const kids = children.get(top.id) ?? [];
    if (top.next < kids.length) {
      const child = kids[top.next++]!;
      if (nodes.has(child) || stack.some((entry) => entry.id === child)) return undefined;
      stack.push({ id: child, depth: top.depth + 1, next: 0 });
      continue;
    }
    stack.pop();
    deepest = Math.max(deepest, top.depth);
    const x = s.margin + top.depth * (s.width + s.ranksep) + s.width / 2;
    const y = kids.length
      ? (nodes.get(kids[0]!)!.y + nodes.get(kids[kids.length - 1]!)!.y) / 2
      : s.margin + leaves++ * (s.height + s.nodesep) + s.height / 2;
    nodes.set(top.id, { x, y });
  }
  if (nodes.size !== view.nodes.length || view.nodes.some((n) => !nodes.has(n.digest))) return undefined;
  // Square edges through one trunk just right of the subject: a subject's referrers share that vertical line, and
  // each edge's own stretch (and its label) is the horizontal run to its referrer. Diagonals from the subject to a
  // bend column half way fanned into a smear at 30 referrers, the labels on top of it.
  const edges = view.edges.map((edge) => {
    const from = nodes.get(edge.from)!;
    const to = nodes.get(edge.to)!;
    const trunk = from.x + s.width / 2 + TRUNK_OFFSET;
    return {
      from: edge.from,
      to: edge.to,
      points: [
        { x: from.x + s.width / 2, y: from.y },
        { x: trunk, y: from.y },
        { x: trunk, y: to.y },
        { x: to.x - s.width / 2, y: to.y },
      ],
    };
  });
  return {
    nodes,
    edges,
    width: 2 * s.margin + (deepest + 1) * s.width + deepest * s.ranksep,
    height: 2 * s.margin + leaves * s.height + Math.max(0, leaves - 1) * s.nodesep,
  };
}
