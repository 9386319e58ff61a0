// "Copy To…" on several artifacts selected in a view: a release manager promotes v1.2.0, v1.2.0-debian and latest
// from the staging repository to production in one go. One destination (a repository or layout, no tag: each tag
// keeps its name there, a row chosen by digest its digest), the tags the copy would move from another digest asked
// about first, one cancellable progress across all of them (core's copyTags: a blob they share moves once), their
// referrers followed when asked, and one summary.
import { describeNotAReferrer, formatCopyTagsSummary, plannedTagMoves, type CopyTagsSummary } from '../../core/graph';
import { counted, formatReference, shortDigest, type Descriptor, type StoreRef } from '../../core/oci';
import { runSteps } from '../multiStep';
import type { ManifestNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { askIncludeReferrers } from './includeReferrers';
import { notifyTransferDone } from './notifyTransferDone';
import { pickDestination } from './pickers';
import { referrersFollowed } from './referrersFollowed';
import { agreeToTagMoves, readableNow } from './tagMoves';
import { transferTags } from './transferTags';
import { fromOneStore } from './selection';
import { shownReference } from '../shownReference';

/** Artifacts named one by one in the summary; the rest are counted. */
const NAMED_IN_SUMMARY = 10;

export interface SeveralCopyRequest {
  destination?: StoreRef;
  referrers?: boolean;
}

export async function copySeveral(
  ctx: CommandContext,
  title: string,
  nodes: readonly ManifestNode[],
  request: SeveralCopyRequest = {},
): Promise<CopyTagsSummary | undefined> {
  if (!fromOneStore(ctx, 'Copy To…', nodes)) return undefined;
  const source = nodes[0]!.store;
  const tags = [...new Set(nodes.flatMap((n) => (n.tag !== undefined ? [n.tag] : [])))];
  const digests = distinctDescriptors(nodes.filter((n) => n.tag === undefined).map((n) => n.descriptor!));
  let destination = request.destination;
  let referrers = request.referrers;
  const answered = await runSteps(ctx, [
    {
      when: () => !request.destination,
      ask: async (c) =>
        (destination = (
          await pickDestination(c, title, { typedReference: true, repositoryOnly: true, exclude: source })
        )?.store),
    },
    {
      when: () => request.referrers === undefined,
      ask: async (c) =>
        (referrers = await askIncludeReferrers(c, {
          title,
          placeHolder: `Copy their referrers too?`,
          includes: 'signatures, SBOMs and other artifacts that refer to them',
          only: `Only the ${counted(tags.length + digests.length, 'artifact')}`,
        })),
    },
  ]);
  if (!answered || !destination || referrers === undefined) return undefined;
  const from = shownReference(source);
  const to = shownReference(destination);
  const src = await ctx.stores.target(source);
  const now = await readableNow(ctx, destination);
  const moves = now ? await plannedTagMoves(src, now, tags) : [];
  if (!(await agreeToTagMoves(ctx, moves, to, { verb: 'Copying', action: 'Copy' }))) return undefined;

  const followed: Descriptor[] = [];
  const summary = await transferTags(
    ctx,
    `Copying ${counted(tags.length + digests.length, 'artifact')} to ${to}`,
    src,
    destination,
    {
      tags,
      digests,
      movesAgreed: moves,
      referrers,
      onItem: (item, outcome) => {
        if (outcome.manifest && outcome.referrer) followed.push({ ...item, artifactType: outcome.artifactType });
      },
    },
  );
  refreshStore(ctx, destination);
  const left = summary.notReferrers.map((r) => describeNotAReferrer(r, 'copy'));
  const along = referrers ? referrersFollowed(followed) : '';
  const names = [...tags, ...digests.map((d) => shortDigest(d.digest, { withAlgorithm: true }))];
  const named = names.slice(0, NAMED_IN_SUMMARY).join(', ') + (names.length > NAMED_IN_SUMMARY ? ', …' : '');
  const copiedText = (source: string, destination: string) =>
    `Copied ${counted(names.length, 'artifact')} of ${source} (${named})${along ? ` with ${along}` : ''} to ${destination}${referrers && !along ? '; they have no referrers' : ''}: ${formatCopyTagsSummary(summary)}.`;
  // The log keeps the whole references (shownReference is for what people read at a glance).
  ctx.log.info(copiedText(formatReference(source), formatReference(destination)));
  const copied = copiedText(from, to);
  for (const line of left) ctx.log.warn(line);
  void notifyTransferDone(
    ctx,
    destination,
    left.length ? 'warning' : 'info',
    left.length ? `${copied} ${counted(left.length, 'listed referrer')} not copied (see the log).` : copied,
  );
  return summary;
}

function distinctDescriptors(descriptors: readonly Descriptor[]): Descriptor[] {
  return [...new Map(descriptors.map((d) => [d.digest, d])).values()];
}
