// What a screen reader makes of the graph: the graph is a tree of treeitems (role=tree), so each node needs its
// place in that tree (level, position among its subject's referrers, whether more lies below) and a name that says
// what the drawing shows and what only its lines and layout show. The name starts with the node's visible text in
// the order it is drawn (voice control users say what they see) and reads a 12-digit digest, never 64 digits.
import { formatManifestSize, shortDigest } from '../../src/core/oci';
import { REFERRER_SOURCE_LABELS, type GraphNodeView, type GraphView } from '../../src/protocol/messages';
import { visibleDetail } from './dom';

/** The texts drawn on a node, top to bottom (render.ts draws them; the name repeats them). */
export interface NodeTexts {
  kind: string;
  digest: string;
  /** "manifest 713 B · 2026-12-05". */
  meta: string;
  /** The verification badge ("verified", "failed", "unverified"). */
  badge?: string;
  /** The link that loads the referrers not loaded yet. */
  expander?: string;
}

export interface NodeSpeech {
  name: string;
  level: number;
  /** Its place among the referrers of the same subject (1-based), and how many there are. */
  position: number;
  siblings: number;
  /** true: its referrers are drawn; false: it has referrers not loaded yet; undefined: it has none. */
  expanded?: boolean;
}

export interface TreeReading {
  /** Every node once, depth-first from the root: the order a screen reader's list of treeitems needs. */
  order: string[];
  speech: Map<string, NodeSpeech>;
}

export function nodeTexts(node: GraphNodeView, isRoot: boolean): NodeTexts {
  // "manifest 713 B · 2026-12-05": the size says whose it is (the tree shows an SBOM's content size), and the day of
  // an RFC 3339 time is enough on a node 236 px wide (the details show the whole value).
  const meta = [formatManifestSize(node), node.created ? visibleDetail(dayOf(node.created)) : undefined]
    .filter(Boolean)
    .join(' · ');
  return {
    kind: isRoot ? `${node.kindLabel} (subject)` : node.kindLabel,
    digest: shortDigest(node.digest, { withAlgorithm: true }),
    meta,
    badge: node.verification?.status,
    expander: node.truncated ? '+ more' : undefined,
  };
}

export function readGraph(view: GraphView): TreeReading {
  const byDigest = new Map(view.nodes.map((n) => [n.digest, n]));
  const referrers = new Map<string, string[]>();
  const subjects = new Map<string, Map<string, string[]>>();
  for (const edge of view.edges) {
    if (!byDigest.has(edge.from) || !byDigest.has(edge.to)) continue;
    const list = referrers.get(edge.from) ?? [];
    if (!list.includes(edge.to)) referrers.set(edge.from, [...list, edge.to]);
    const found = subjects.get(edge.to) ?? new Map<string, string[]>();
    const how = edge.tag
      ? `${REFERRER_SOURCE_LABELS[edge.source]} ${visibleDetail(edge.tag)}`
      : REFERRER_SOURCE_LABELS[edge.source];
    found.set(edge.from, [...(found.get(edge.from) ?? []), how]);
    subjects.set(edge.to, found);
  }

  const order: string[] = [];
  const speech = new Map<string, NodeSpeech>();
  const place = (digest: string, level: number, position: number, siblings: number) => {
    const node = byDigest.get(digest)!;
    const below = referrers.get(digest) ?? [];
    order.push(digest);
    speech.set(digest, {
      name: nodeName(node, digest === view.root, subjects.get(digest)),
      level,
      position,
      siblings,
      expanded: node.truncated ? false : below.length ? true : undefined,
    });
  };
  // Depth-first with an explicit stack (chains can be long); a node with two subjects is placed under the first.
  const stack: { digest: string; level: number; position: number; siblings: number }[] = [];
  if (byDigest.has(view.root)) stack.push({ digest: view.root, level: 1, position: 1, siblings: 1 });
  while (stack.length) {
    const { digest, level, position, siblings } = stack.pop()!;
    if (speech.has(digest)) continue;
    place(digest, level, position, siblings);
    const below = (referrers.get(digest) ?? []).filter((d) => !speech.has(d));
    for (let i = below.length - 1; i >= 0; i--)
      stack.push({ digest: below[i]!, level: level + 1, position: i + 1, siblings: below.length });
  }
  // Nodes the walk from the root does not reach (not expected) still get a name, at the top level.
  for (const node of view.nodes) if (!speech.has(node.digest)) place(node.digest, 1, 1, 1);
  return { order, speech };
}

function nodeName(node: GraphNodeView, isRoot: boolean, subjects: Map<string, string[]> | undefined): string {
  const texts = nodeTexts(node, isRoot);
  const parts = [
    texts.kind,
    texts.digest,
    texts.meta,
    texts.badge,
    texts.expander && `${texts.expander} referrers not loaded, press plus to load them`,
    visibleDetail(node.artifactType ?? node.mediaType),
    node.verification?.detail && `verification: ${visibleDetail(node.verification.detail)}`,
    ...[...(subjects ?? [])].map(
      ([subject, sources]) =>
        `refers to ${shortDigest(subject, { withAlgorithm: true })}, found through the ${[...new Set(sources)].join(' and the ')}`,
    ),
  ];
  return parts.filter(Boolean).join(', ');
}

/** "2026-12-05" from "2026-12-05T10:11:12Z"; any other text as it is. */
function dayOf(created: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(created) ? created.slice(0, 10) : created;
}
