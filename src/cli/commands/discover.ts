import { buildJudgedGraph, describeNotAReferrer } from '../../core/graph';
import { distributionSpecOf, distributionSpecOption, referrersReadFrom } from '../distributionSpec';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../commonOptions';
import { discoverJson, discoverTable, discoverTree } from '../discoverOutput';
import { UsageError, type ParsedArgs } from '../args';
import { print, printError, printJson, type CliIO, type Command } from '../command';
import { PLATFORM_OPTION, resolvePlatform } from '../platform';

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'show the referrers of an artifact (signatures, SBOMs, attestations), recursively',
  examples: [
    {
      does: 'show the signatures, SBOMs and attestations of an image as a tree',
      run: 'stowage discover localhost:5000/team/app:v1',
    },
    {
      does: 'list its SPDX SBOMs as JSON',
      run: 'stowage discover --format json --artifact-type application/spdx+json localhost:5000/team/app:v1',
    },
  ],
  usage:
    'stowage discover <reference> [--format tree|table|json|graph] [--depth n] [--artifact-type T]... [--platform os/arch] [--distribution-spec v1.1-referrers-api|v1.1-referrers-tag]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'format',
      type: 'string',
      choices: ['tree', 'table', 'json', 'graph'],
      description:
        'tree (default), table (direct referrers only) or json, as ORAS prints them; graph: JSON nodes and edges with where each referrer was found',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      choices: ['tree', 'table', 'json'],
      description: 'ORAS’s older name for --format (deprecated there too)',
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
    {
      ...PLATFORM_OPTION,
      description: 'when the reference names an index, show the referrers of this platform’s manifest in it',
    },
    distributionSpecOption(
      'look in one place only (default: the referrers API, the fallback tag and cosign tags, merged): referrers-api requires the API',
    ),
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const format = formatOf(io, args.options);
    const { target, tagOrDigest } = await session.openManifest(args.positionals[0]!);
    const spec = await distributionSpecOf(args.options, target, signal);
    const root = await resolvePlatform(target, tagOrDigest, args.options['platform'] as string | undefined, signal);
    // Only real referrers are shown: a listing is a claim anyone who can push a tag can make (referrerSubject.ts).
    const { notReferrers, ...graph } = await buildJudgedGraph(target, root, {
      // ORAS's table lists the subject's own referrers only: no need to walk further.
      maxDepth: format === 'table' ? 1 : (args.options['depth'] as number | undefined),
      artifactTypes: args.options['artifact-type'] as string[] | undefined,
      only: referrersReadFrom(spec),
      signal,
    });
    printError(
      io,
      notReferrers.map((r) => `warning: ${describeNotAReferrer(r, 'show')}`),
    );
    if (format === 'graph') printJson(io, graph);
    else if (format === 'json') printJson(io, discoverJson(graph, target.location, root));
    else if (format === 'table') print(io, discoverTable(graph, args.positionals[0]!, root));
    else print(io, discoverTree(graph, target.location, root));
    return 0;
  },
};

/** `--format`, or ORAS's deprecated `-o/--output` with ORAS's note; not both. */
function formatOf(io: CliIO, options: ParsedArgs['options']): string | undefined {
  const format = options['format'] as string | undefined;
  const output = options['output'] as string | undefined;
  if (output === undefined) return format;
  if (format !== undefined) throw new UsageError('--format and --output cannot be used together');
  printError(io, `--output is deprecated, use --format ${output} instead`);
  return output;
}
