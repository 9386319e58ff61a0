// Draws the graph as SVG: one focusable group per node (glyph, kind, short digest, size and time, badge), and
// edges labelled with where the referrer was found. Every registry string goes in as a text node.
import {
  REFERRER_SOURCE_LABELS as SOURCE_LABELS,
  type GraphNodeView,
  type GraphView,
} from '../../src/protocol/messages';
import { svg, visible } from './dom';
import { KIND_GLYPHS } from './glyphs';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout';
import { nodeTexts, readGraph, type NodeSpeech } from './nodeSpeech';
import type { Placed } from './placed';

/** Room between an edge label and its arrow head. */
const LABEL_GAP = 10;

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

  // The edges' labels are said by the referrers' names ("refers to …, found through …"): read between the treeitems
  // they were stray text, so the whole layer is for the eye only.
  const edgeLayer = svg('g', { class: 'edges', 'aria-hidden': 'true' });
  placed.edges.forEach((edge, i) => {
    const model = view.edges[i]!;
    const points = edge.points.map((p) => `${p.x},${p.y}`).join(' ');
    // Each label ends just before its arrow, over the edge's own last stretch: never on a line other edges share.
    const end = edge.points[edge.points.length - 1];
    edgeLayer.appendChild(
      svg(
        'g',
        { class: `edge source-${model.source}` },
        svg('polyline', { points, 'marker-end': 'url(#arrow)' }),
        end &&
          svg(
            'text',
            { x: end.x - LABEL_GAP, y: end.y - 4, 'text-anchor': 'end', class: 'edge-label' },
            model.tag ? `${SOURCE_LABELS[model.source]} ${visible(model.tag)}` : SOURCE_LABELS[model.source],
          ),
      ),
    );
  });
  const defs = svg(
    'defs',
    { 'aria-hidden': 'true' },
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
  const nodeLayer = svg('g', { class: 'nodes', role: 'none' });
  const reading = readGraph(view);
  const byDigest = new Map(view.nodes.map((n) => [n.digest, n]));
  // In tree order: a screen reader takes a flat list of treeitems with levels as depth-first.
  for (const digest of reading.order) {
    const node = byDigest.get(digest)!;
    const at = placed.nodes.get(digest);
    if (!at) continue;
    const speech = reading.speech.get(digest)!;
    const g = drawNode(node, digest === view.root, speech, at.x - NODE_WIDTH / 2, at.y - NODE_HEIGHT / 2);
    nodeElements.set(node.digest, g);
    nodeLayer.appendChild(g);
  }
  content.appendChild(nodeLayer);
  return { svg: root, content, placed, nodeElements };
}

function drawNode(node: GraphNodeView, isRoot: boolean, speech: NodeSpeech, x: number, y: number): SVGGElement {
  const classes = [
    'node',
    `kind-${node.kind}`,
    isRoot ? 'root' : '',
    node.verification ? `verification-${node.verification.status}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const texts = nodeTexts(node, isRoot);
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
      'aria-label': speech.name,
      'aria-level': speech.level,
      'aria-posinset': speech.position,
      'aria-setsize': speech.siblings,
    },
    svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }),
    // The glyph repeats the kind as a picture: a screen reader would read "black circle".
    svg('text', { x: 12, y: 28, class: 'glyph', 'aria-hidden': 'true' }, KIND_GLYPHS[node.kind]),
    svg('text', { x: 40, y: 22, class: 'kind' }, texts.kind),
    svg('text', { x: 40, y: 40, class: 'digest' }, texts.digest),
    svg('text', { x: 40, y: 58, class: 'meta' }, texts.meta),
  );
  if (speech.expanded !== undefined) g.setAttribute('aria-expanded', String(speech.expanded));
  if (node.truncated) g.setAttribute('aria-keyshortcuts', '+');
  if (node.verification) {
    g.appendChild(
      svg(
        'text',
        { x: NODE_WIDTH - 10, y: 22, 'text-anchor': 'end', class: `badge badge-${node.verification.status}` },
        texts.badge,
      ),
    );
  }
  if (node.truncated) {
    g.appendChild(
      svg(
        'text',
        { x: NODE_WIDTH - 10, y: 58, 'text-anchor': 'end', class: 'expander', 'data-expand': node.digest },
        texts.expander,
      ),
    );
  }
  return g;
}
