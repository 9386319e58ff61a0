// `stowage copy --all-tags SRC DST` (crane's flag; `--tags <glob>` picks some, as regsync's tag filters and ORAS's
// backup do): every tag of a repository, with -r its referrers, into another repository — a registry mirror —
// or between a layout or archive and a registry. The engine is copyTags, as behind backup and restore: a blob
// shared by many tags moves once, what the destination holds is skipped, a rerun where nothing changed asks one
// HEAD a side per tag, and a tag that moves from another digest is named.
import { parseReference, type Reference } from '../core/oci';
import { parseTypedReference, UsageError, type OptionSpec } from './args';
import type { CommandContext } from './command';
import { distributionSpecOf, referrersReadFrom } from './distributionSpec';
import { layoutInput } from './session';
import { keepGoingOption, openDestination, transferTags } from './tagTransfer';

/** What a mirror job asks of a repository copy, named as the tools it comes from name them. */
export const MIRROR_OPTIONS: OptionSpec[] = [
  keepGoingOption('the copy'),
  {
    name: 'no-clobber',
    short: 'n',
    type: 'boolean',
    description: 'leave a tag that names another digest at the destination as it is (crane’s flag)',
  },
  {
    name: 'force-recursive',
    type: 'boolean',
    description:
      'ask the destination for every blob and child manifest, even under a manifest it holds, and send what is missing: repairs a registry that lost some (regctl’s flag; -r is referrers)',
  },
];

/** True when the command (copy, verify) was asked for many tags (--all-tags, --tags) rather than one artifact. */
export function asksForAllTags(options: Record<string, unknown>): boolean {
  return !!options['all-tags'] || ((options['tags'] as string[] | undefined) ?? []).length > 0;
}

export async function copyRepository(context: CommandContext, srcArg: string, dstArg: string): Promise<number> {
  const { args, session, signal } = context;
  const dryRun = !!args.options['dry-run'];
  const from = repositoryOf(srcArg, !!args.options['from-oci-layout'], 'source');
  const to = repositoryOf(dstArg, !!args.options['to-oci-layout'], 'destination');
  const src = (await session.open(from, { side: 'from' })).target;
  const dst = await openDestination(session, to, dryRun, { side: 'to' });
  const readFrom = await distributionSpecOf(args.options, src, signal, 'from-distribution-spec');
  const writeTo = dst && (await distributionSpecOf(args.options, dst, signal, 'to-distribution-spec'));
  return transferTags(context, {
    src,
    dst,
    destination: to,
    tags: [],
    referrers: !!args.options['recursive'],
    referrersFrom: referrersReadFrom(readFrom),
    fallbackTagAlways: writeTo === 'v1.1-referrers-tag',
    run: 'copy',
    keepGoing: !!args.options['keep-going'],
    noClobber: !!args.options['no-clobber'],
    checkEveryNode: !!args.options['force-recursive'],
  });
}

/**
 * A repository or layout, as typed; a tag or digest there is a mistake to say before anything opens. `verb` is what
 * the command does with the repository's tags ("copy", "verify").
 */
export function repositoryOf(
  input: string,
  layout: boolean,
  side: 'source' | 'destination' | 'repository',
  verb = 'copy',
): Reference {
  const reference = parseTypedReference(() => parseReference(layoutInput(input, layout)));
  const { tag, digest } = reference;
  if (digest || tag !== undefined)
    throw new UsageError(
      `"${input}": --all-tags and --tags ${verb} a repository's tags; name the ${side} without ${digest ? 'a digest' : `the tag ":${tag}"`}${side === 'destination' ? '' : ' (pick tags with --tags <glob>)'}`,
    );
  return reference;
}
