// `stowage backup`: tags of a registry repository (all, or those named, ORAS 1.3's syntax) into one layout folder or
// .tar archive, with their referrers when asked. Resumable: a rerun moves only what is not there yet.
import { COMMON_OPTIONS } from '../commonOptions';
import type { Command } from '../command';
import { UsageError } from '../args';
import {
  layoutAt,
  openDestination,
  parseRepositoryTags,
  keepGoingOption,
  TAG_FILTER_OPTIONS,
  transferTags,
} from '../tagTransfer';
import { distributionSpecOf, distributionSpecOption, referrersReadFrom } from '../distributionSpec';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy tags of a repository (all by default), optionally with referrers, into a layout folder or .tar',
  examples: [
    {
      does: 'back up every tag of a repository with its referrers into a .tar',
      run: 'stowage backup --include-referrers -o app-backup.tar localhost:5000/team/app',
    },
    {
      does: 'back up two tags into a layout folder',
      run: 'stowage backup -o ./app-backup localhost:5000/team/app:v1,v2',
    },
  ],
  usage:
    'stowage backup --output <dir|file.tar> [--include-referrers] [--tags <glob>] [--dry-run] [--keep-going] <registry>/<repository>[:<tag>[,<tag>…]]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'dir|file.tar',
      description: 'where to write: a .tar path is a layout archive, anything else a layout folder (required)',
    },
    {
      name: 'include-referrers',
      type: 'boolean',
      description:
        'also back up referrers (signatures, SBOMs…) of every manifest, recursively (off by default, as in ORAS)',
    },
    ...TAG_FILTER_OPTIONS,
    keepGoingOption('the backup'),
    distributionSpecOption(
      'with --include-referrers, read them from the referrers API or the fallback tag only (default: both, and cosign tags)',
    ),
  ],
  arity: [1, 1],
  async run(context) {
    const { args, session } = context;
    const output = args.options['output'] as string | undefined;
    if (!output) throw new UsageError('--output <dir|file.tar> is required');
    const { repository, tags } = parseRepositoryTags(args.positionals[0]!);
    const destination = layoutAt(output, '--output');
    const dryRun = !!args.options['dry-run'];
    const src = (await session.open(repository)).target;
    const spec = await distributionSpecOf(args.options, src, context.signal);
    const dst = await openDestination(session, destination, dryRun);
    return transferTags(context, {
      src,
      dst,
      destination,
      tags,
      referrers: !!args.options['include-referrers'],
      referrersFrom: referrersReadFrom(spec),
      run: 'backup',
      keepGoing: !!args.options['keep-going'],
    });
  },
};
