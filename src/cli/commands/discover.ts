import { buildReferrerGraph } from '../../core/graph';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../session';
import { discoverJson, discoverTree } from '../discoverOutput';
import { print, printJson, type Command } from '../command';

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'show the referrers of an artifact (signatures, SBOMs, attestations), recursively',
  usage: 'stowage discover <reference> [--format tree|json|graph] [--depth n] [--artifact-type T]...',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'format',
      type: 'string',
      choices: ['tree', 'json', 'graph'],
      description:
        'tree (default) or json, as ORAS prints them; graph: JSON nodes and edges with where each referrer was found',
    },
    OCI_LAYOUT_OPTION,
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
    const format = args.options['format'];
    if (format === 'graph') printJson(io, graph);
    else if (format === 'json') printJson(io, discoverJson(graph, target.location, root));
    else print(io, discoverTree(graph, target.location, root));
    return 0;
  },
};
