// `stowage delete --tags <glob> [--older-than 14d] [--keep N] REPO`: a repository cleaned up by tag, as a CI job
// removes its pull-request builds. The plan (core/graph/pruneTags.ts) keeps any manifest also named by a tag the
// globs do not pick and any whose age is unknown; `--dry-run` prints it, and deleting it takes `--yes`, since a
// glob can pick more than its writer meant. Each manifest then goes as `stowage delete` deletes one.
import {
  describePruneEntry as describe,
  doomedCount,
  keptLine,
  parsePruneAge,
  planPrune,
  recheckPrune,
  type PruneEntry,
} from '../core/graph';
import { printable } from '../core/oci';
import { UsageError, type OptionSpec } from './args';
import { print, printJson, type CommandContext } from './command';
import { deleteManifest } from './manifestDeletion';
import { DRY_RUN_OPTION, tagPatterns } from './tagTransfer';
import { formatOption } from './commonOptions';

export const CLEANUP_OPTIONS: OptionSpec[] = [
  {
    name: 'tags',
    type: 'strings',
    valueName: 'glob',
    description:
      'delete by tag: the tags matching this pattern (* and ?; repeatable or comma-separated) in the repository named',
  },
  {
    name: 'older-than',
    type: 'string',
    valueName: 'age',
    description: 'with --tags: only manifests made longer ago than this (30m, 12h, 14d, 2w; from their created time)',
  },
  { name: 'keep', type: 'number', valueName: 'n', description: 'with --tags: the newest n of those picked stay' },
  { ...DRY_RUN_OPTION, description: 'with --tags: list what would be deleted and what stays, and delete nothing' },
  { name: 'yes', type: 'boolean', description: 'with --tags: delete what the plan lists without --dry-run first' },
  formatOption('with --tags: text or json (the plan)'),
];

export function isTagCleanup(options: Record<string, unknown>): boolean {
  return options['tags'] !== undefined;
}

export async function cleanUpTags(context: CommandContext, input: string): Promise<number> {
  const { io, args, session, signal } = context;
  const opened = await session.open(input);
  if (opened.tagOrDigest)
    throw new UsageError(
      `--tags deletes by pattern in a repository: name ${opened.target.location} without a tag or digest`,
    );
  const dryRun = !!args.options['dry-run'];
  if (!dryRun && !args.options['yes'])
    throw new UsageError('deleting by --tags needs --yes (see what it would delete first with --dry-run)');
  const keep = args.options['keep'] as number | undefined;
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 0))
    throw new UsageError(`--keep takes a whole number of manifests, not ${keep}`);
  const olderThan = args.options['older-than'] as string | undefined;
  const { target } = opened;
  const planned = await planPrune(target, {
    patterns: tagPatterns(args),
    ...(olderThan !== undefined && { olderThanMs: parseAge(olderThan) }),
    ...(keep !== undefined && { keep }),
    concurrency: session.concurrency,
    signal,
  });
  // Tags pushed while the plan read ages and indexes are looked at again before anything goes.
  const plan =
    dryRun || !planned.doomed.length
      ? planned
      : await recheckPrune(target, planned, { concurrency: session.concurrency, signal });
  const withReferrers = !!args.options['with-referrers'];
  const json = args.options['format'] === 'json';
  const deleted: PruneEntry[] = [];
  if (!dryRun)
    for (const entry of plan.doomed) {
      // Each as `stowage delete` deletes one: its referrers with it when asked, else named as left behind.
      await deleteManifest(io, target, entry.descriptor, withReferrers, signal, entry.tags);
      deleted.push(entry);
      if (!json) print(io, `deleted ${describe(entry)}`);
    }
  if (json) {
    printJson(io, { dryRun, deleted: dryRun ? plan.doomed : deleted, kept: plan.kept });
    return 0;
  }
  if (dryRun) for (const entry of plan.doomed) print(io, `would delete ${describe(entry)}`);
  for (const entry of plan.kept) print(io, keptLine(entry));
  print(
    io,
    `${dryRun ? 'would delete' : 'deleted'} ${doomedCount(plan)} from ${target.location}; ${plan.kept.length} kept`,
  );
  return 0;
}

/** "30m", "12h", "14d", "2w" → milliseconds. */
export function parseAge(text: string): number {
  const ms = parsePruneAge(text);
  if (ms === undefined)
    throw new UsageError(`--older-than takes an age such as 30m, 12h, 14d or 2w, not "${printable(text)}"`);
  return ms;
}
