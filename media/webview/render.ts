// Draws the graph as SVG: one focusable group per node (glyph, kind, short digest, size and time, badge), and
// edges labelled with where the referrer was found. Every registry string goes in as a text node.
import { formatManifestSize, shortDigest } from '../../src/core/oci';
import {
  REFERRER_SOURCE_LABELS as SOURCE_LABELS,
  type GraphNodeView,
  type GraphView,
} from '../../src/protocol/messages';
import { svg, visible } from './dom';
import { KIND_GLYPHS } from './glyphs';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout';
import type { Placed } from './placed';

export interface Rendered {
  svg: SVGSVGElement;
  /** The layer that pans and zooms. */
  content: SVGGElement;
  placed: Placed;
  nodeElements: Map<string, SVGGElement>;
}

export function renderGraph(view: GraphView): Rendered {
  const placed = layoutGraph(view);
  const content = svg('g', { class: 'content' });
  const root = svg(
    'svg',
    { class: 'graph', role: 'tree', 'aria-label': 'Referrer graph', xmlns: 'http://www.w3.org/2000/svg' },
    content,
  );

  const edgeLayer = svg('g', { class: 'edges' });
  placed.edges.forEach((edge, i) => {
    const model = view.edges[i]!;
    const points = edge.points.map((p) => `${p.x},${p.y}`).join(' ');
    const mid = edge.points[Math.floor(edge.points.length / 2)];
    edgeLayer.appendChild(
      svg(
        'g',
        { class: `edge source-${model.source}` },
        svg('polyline', { points, 'marker-end': 'url(#arrow)' }),
        mid &&
          svg(
            'text',
            { x: mid.x, y: mid.y - 4, 'text-anchor': 'middle', class: 'edge-label' },
            model.tag ? `${SOURCE_LABELS[model.source]} ${visible(model.tag)}` : SOURCE_LABELS[model.source],
          ),
      ),
    );
  });
  const defs = svg(
    'defs',
    {},
    svg(
      'marker',
      {
        id: 'arrow',
        viewBox: '0 0 10 10',
        refX: 10,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }),
    ),
  );
  content.append(defs, edgeLayer);

  const nodeElements = new Map<string, SVGGElement>();
  const nodeLayer = svg('g', { class: 'nodes' });
  for (const node of view.nodes) {
    const at = placed.nodes.get(node.digest);
    if (!at) continue;
    const g = drawNode(node, node.digest === view.root, at.x - NODE_WIDTH / 2, at.y - NODE_HEIGHT / 2);
    nodeElements.set(node.digest, g);
    nodeLayer.appendChild(g);
  }
  content.appendChild(nodeLayer);
  return { svg: root, content, placed, nodeElements };
}

function drawNode(node: GraphNodeView, isRoot: boolean, x: number, y: number): SVGGElement {
  const classes = [
    'node',
    `kind-${node.kind}`,
    isRoot ? 'root' : '',
    node.verification ? `verification-${node.verification.status}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  // "manifest 713 B · 2026-12-05": the size says whose it is (the tree shows an SBOM's content size), and the
  // day of an RFC 3339 time is enough on a node 236 px wide (the details show the whole value).
  const details = [formatManifestSize(node), node.created ? visible(dayOf(node.created)) : undefined]
    .filter(Boolean)
    .join(' · ');
  const g = svg(
    'g',
    {
      class: classes,
      transform: `translate(${x},${y})`,
      // main.ts makes one node the graph's Tab stop; the others are reached with the arrow keys.
      tabindex: '-1',
      role: 'treeitem',
      'aria-selected': 'false',
      'data-digest': node.digest,
      'aria-label': `${node.kindLabel} ${node.digest}`,
    },
    svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }),
    svg('text', { x: 12, y: 28, class: 'glyph' }, KIND_GLYPHS[node.kind]),
    svg('text', { x: 40, y: 22, class: 'kind' }, isRoot ? `${node.kindLabel} (subject)` : node.kindLabel),
    svg('text', { x: 40, y: 40, class: 'digest' }, shortDigest(node.digest, { withAlgorithm: true })),
    svg('text', { x: 40, y: 58, class: 'meta' }, details),
  );
  if (node.verification) {
    g.appendChild(
      svg(
        'text',
        { x: NODE_WIDTH - 10, y: 22, 'text-anchor': 'end', class: `badge badge-${node.verification.status}` },
        node.verification.status,
      ),
    );
  }
  if (node.truncated) {
    g.appendChild(
      svg(
        'text',
        { x: NODE_WIDTH - 10, y: 58, 'text-anchor': 'end', class: 'expander', 'data-expand': node.digest },
        '+ more',
      ),
    );
  }
  return g;
}

/** "2026-12-05" from "2026-12-05T10:11:12Z"; any other text as it is. */
function dayOf(created: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(created) ? created.slice(0, 10) : created;
}
