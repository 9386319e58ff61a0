// `discover` output in ORAS's shapes: the tree (subject, then each referrer's artifact type, then its digest,
// its own referrers below) and the JSON (the subject's descriptor with nested `referrers`). Stowage's own graph
// (nodes, edges and where each referrer was found) stays available as `--format graph`.
import type { ReferrerGraph } from '../core/graph';
import { showInvisible, type Descriptor } from '../core/oci';
import { referenced, type ReferencedDescriptor } from './orasOutput';

export interface DiscoveredReferrer extends ReferencedDescriptor {
  referrers: DiscoveredReferrer[];
}

/** Children of each digest, each child once per subject, in the order the walk found them. */
function childrenOf(graph: ReferrerGraph): (digest: string) => Descriptor[] {
  const nodes = new Map(graph.nodes.map((n) => [n.descriptor.digest, n.descriptor]));
  return (digest) => {
    const seen = new Set<string>();
    return graph.edges
      .filter((e) => e.from === digest && !seen.has(e.to) && seen.add(e.to))
      .map((e) => nodes.get(e.to)!);
  };
}

export function discoverJson(graph: ReferrerGraph, location: string, root: Descriptor): DiscoveredReferrer {
  const children = childrenOf(graph);
  const build = (descriptor: Descriptor, path: Set<string>): DiscoveredReferrer => ({
    ...referenced(location, descriptor),
    // A cycle (forged referrers) is cut where it closes.
    referrers: children(descriptor.digest)
      .filter((c) => !path.has(c.digest))
      .map((c) => build(c, new Set([...path, c.digest]))),
  });
  return build(root, new Set([root.digest]));
}

interface TreeNode {
  label: string;
  children: TreeNode[];
}

/** One element per line; the caller's `print` shows a value's own line breaks as code points. */
export function discoverTree(graph: ReferrerGraph, location: string, root: Descriptor): string[] {
  const children = childrenOf(graph);
  const build = (digest: string, path: Set<string>): TreeNode[] => {
    const byType = new Map<string, TreeNode>();
    for (const child of children(digest)) {
      if (path.has(child.digest)) continue;
      const type = child.artifactType || '<unknown>';
      let group = byType.get(type);
      if (!group) byType.set(type, (group = { label: type, children: [] }));
      group.children.push({ label: child.digest, children: build(child.digest, new Set([...path, child.digest])) });
    }
    return [...byType.values()];
  };
  const lines = [`${location}@${root.digest}`];
  const draw = (nodes: TreeNode[], prefix: string) =>
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${node.label}`);
      draw(node.children, `${prefix}${last ? '    ' : '│   '}`);
    });
  draw(build(root.digest, new Set([root.digest])), '');
  return lines;
}

/**
 * ORAS's `--format table`: how many direct referrers the subject has, its digest, then one row per referrer
 * (artifact type, digest) in two aligned columns. Widths count what the terminal shows, so a hostile type whose
 * invisible characters become code points does not push the digests out of line.
 */
export function discoverTable(graph: ReferrerGraph, reference: string, root: Descriptor): string[] {
  const referrers = childrenOf(graph)(root.digest).filter((d) => d.digest !== root.digest);
  const lines = [
    `Discovered ${referrers.length} artifact${referrers.length === 1 ? '' : 's'} referencing ${reference}`,
    `Digest: ${root.digest}`,
  ];
  if (!referrers.length) return lines;
  const rows = [
    ['Artifact Type', 'Digest'],
    ...referrers.map((d) => [showInvisible(d.artifactType ?? ''), d.digest]),
  ] as const;
  const width = Math.max(...rows.map(([type]) => type.length));
  return [...lines, '', ...rows.map(([type, digest]) => `${type.padEnd(width)}   ${digest}`)];
}
