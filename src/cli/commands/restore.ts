// `stowage restore`: tags of a layout folder or .tar archive (all, or those named) pushed into a registry
// repository with their referrers (API or fallback tag, as the registry supports), skipping blobs it has.
import { COMMON_OPTIONS } from '../commonOptions';
import type { Command } from '../command';
import { UsageError } from '../args';
import { layoutAt, parseRepositoryTags, keepGoingOption, TAG_FILTER_OPTIONS, transferTags } from '../tagTransfer';
import { distributionSpecOf, distributionSpecOption } from '../distributionSpec';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'push tags (all by default) with their referrers from a layout folder or .tar into a repository',
  examples: [
    { does: 'restore a backup into a repository', run: 'stowage restore -i app-backup.tar localhost:5000/team/app' },
    {
      does: 'see what a restore would push, without pushing',
      run: 'stowage restore --dry-run -i ./app-backup registry.example.com/team/app',
    },
  ],
  usage:
    'stowage restore --input <dir|file.tar> [--exclude-referrers] [--tags <glob>] [--dry-run] [--keep-going] <registry>/<repository>[:<tag>[,<tag>…]]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'input',
      short: 'i',
      type: 'string',
      valueName: 'dir|file.tar',
      description: 'what to restore: a .tar path is a layout archive, anything else a layout folder (required)',
    },
    {
      name: 'exclude-referrers',
      type: 'boolean',
      description: 'restore the tagged artifacts only, not the referrers the backup holds (as in ORAS)',
    },
    ...TAG_FILTER_OPTIONS,
    keepGoingOption('the restore'),
    distributionSpecOption(
      'v1.1-referrers-tag: list each referrer in the fallback tag even where the registry’s API indexed it; v1.1-referrers-api: require the API',
    ),
  ],
  arity: [1, 1],
  async run(context) {
    const { args, session } = context;
    const input = args.options['input'] as string | undefined;
    if (!input) throw new UsageError('--input <dir|file.tar> is required');
    const { repository, tags } = parseRepositoryTags(args.positionals[0]!);
    const src = (await session.open(layoutAt(input, '--input'))).target;
    const dst = (await session.open(repository)).target;
    const spec = await distributionSpecOf(args.options, dst, context.signal);
    return transferTags(context, {
      src,
      dst,
      destination: repository,
      tags,
      referrers: !args.options['exclude-referrers'],
      fallbackTagAlways: spec === 'v1.1-referrers-tag',
      run: 'restore',
      keepGoing: !!args.options['keep-going'],
    });
  },
};
