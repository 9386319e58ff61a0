// `stowage copy --all-tags SRC DST` (crane's flag; `--tags <glob>` picks some, as regsync's tag filters and ORAS's
// backup do): every tag of a repository, with -r its referrers, into another repository — a registry mirror —
// or between a layout or archive and a registry. The engine is copyTags, as behind backup and restore: a blob
// shared by many tags moves once, what the destination holds is skipped, a rerun where nothing changed asks one
// HEAD a side per tag, and a tag that moves from another digest is named.
import { formatReference, parseReference, type Reference } from '../core/oci';
import { parseTypedReference, UsageError } from './args';
import type { CommandContext } from './command';
import { distributionSpecOf, referrersReadFrom } from './distributionSpec';
import { layoutInput } from './session';
import { openDestination, transferTags } from './tagTransfer';

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
    dstLocation: formatReference(to),
    tags: [],
    referrers: !!args.options['recursive'],
    referrersFrom: referrersReadFrom(readFrom),
    fallbackTagAlways: writeTo === 'v1.1-referrers-tag',
    verb: { done: 'copied', plan: 'copy' },
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
