import { buildReferrerGraph, type ReferrerGraph } from '../../core/graph';
import { shortDigest, printable } from '../../core/oci';
import { COMMON_OPTIONS } from '../session';
import { print, printJson, type Command } from '../command';

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'show the referrers of an artifact (signatures, SBOMs, attestations), recursively',
  usage: 'stowage discover <reference> [--format tree|json] [--depth n] [--artifact-type T]...',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'format',
      type: 'string',
      choices: ['tree', 'json'],
      description: 'tree (default) or json (nodes and edges with their source)',
    },
    { name: 'depth', type: 'number', description: 'how many levels of referrers to follow (default 8)' },
    {
      name: 'artifact-type',
      type: 'strings',
      valueName: 'type',
      description:
        'only referrers of this artifact type, at every level (repeatable; the registry filters where it can)',
    },
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const root = await target.resolve(tagOrDigest, { signal });
    const graph = await buildReferrerGraph(target, root, {
      maxDepth: args.options['depth'] as number | undefined,
      artifactTypes: args.options['artifact-type'] as string[] | undefined,
      signal,
    });
    if (args.options['format'] === 'json') printJson(io, graph);
    else print(io, renderTree(graph));
    return 0;
  },
};

/** The graph as an indented tree: each referrer under its subject with its type and where it was found. */
export function renderTree(graph: ReferrerGraph): string {
  const nodes = new Map(graph.nodes.map((n) => [n.descriptor.digest, n]));
  const lines = [graph.root];
  const visit = (digest: string, prefix: string, seen: Set<string>) => {
    const children = graph.edges.filter((e) => e.from === digest);
    children.forEach((edge, i) => {
      const last = i === children.length - 1;
      const node = nodes.get(edge.to)!;
      const type = printable(node.descriptor.artifactType ?? node.descriptor.mediaType);
      lines.push(
        `${prefix}${last ? '└── ' : '├── '}${type} ${shortDigest(edge.to)} [${edge.source}${edge.tag ? ` ${edge.tag}` : ''}]${node.truncated ? ' …' : ''}`,
      );
      if (!seen.has(edge.to)) visit(edge.to, `${prefix}${last ? '    ' : '│   '}`, new Set([...seen, edge.to]));
    });
  };
  visit(graph.root, '', new Set([graph.root]));
  return lines.join('\n');
}
