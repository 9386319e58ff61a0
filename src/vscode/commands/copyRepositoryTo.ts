// "Copy Repository To…": tags of a registry repository (all, or those picked), with their referrers when asked,
// into a repository of any registry (one in the tree, a new one, or a typed reference) — keeping a mirror in sync —
// in one cancellable transfer ending with a summary. The engine is core's copyTags, as behind `stowage copy
// --all-tags`: a rerun moves only what changed. A tag that would move from another digest at the destination is
// asked about first, as Restore to Registry… asks.
import { formatCopyTagsSummary, selectTags, tagsMoved, type CopyTagsSummary } from '../../core/graph';
import { counted, storeId, type StoreRef } from '../../core/oci';
import { runSteps } from '../multiStep';
import { isRepositoryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { refreshStore } from './CommandContext';
import { askTags } from './backupRepository';
import { askIncludeReferrers } from './includeReferrers';
import { confirmTagMoves } from './tagMoves';
import type { TypedDestination } from './destinationReference';
import { notifyTagsDone } from './notifyTransferDone';
import { pickDestination, pickSource } from './pickers';
import { transferTags } from './transferTags';
import { shownReference } from '../shownReference';

const TITLE = 'Copy Repository To';

export interface CopyRepositoryRequest {
  destination?: StoreRef;
  /** Tags to copy; all when empty. */
  tags?: string[];
  referrers?: boolean;
}

export function copyRepositoryTo(ctx: CommandContext) {
  return async (node?: TreeNode, request: CopyRepositoryRequest = {}): Promise<CopyTagsSummary | undefined> => {
    let source: StoreRef | undefined = isRepositoryNode(node) ? node.store : undefined;
    let picked: TypedDestination | undefined = request.destination && { store: request.destination };
    let tags = request.tags;
    let referrers = request.referrers;
    const answered = await runSteps(ctx, [
      {
        when: () => !isRepositoryNode(node),
        ask: async (c) => (source = await pickSource(c, TITLE, { placeHolder: 'Repository to copy' })),
      },
      {
        when: () => request.tags === undefined,
        ask: async (c) => (tags = await askTags(c, TITLE, await selectTags(await c.stores.target(source!), {}))),
      },
      {
        when: () => request.referrers === undefined,
        ask: async (c) =>
          (referrers = await askIncludeReferrers(c, {
            title: TITLE,
            placeHolder: 'Copy their referrers too?',
            includes: 'signatures, SBOMs and what refers to them',
            only: 'Only the tagged artifacts',
          })),
      },
      {
        when: () => !request.destination,
        ask: async (c) => (picked = await pickDestination(c, TITLE, { typedReference: true, registriesOnly: true })),
      },
    ]);
    // The source picker offers registry repositories only; the check narrows the type.
    if (!answered || source?.kind !== 'registry' || !tags || referrers === undefined || !picked) return undefined;
    const destination = picked.store;
    const refusal = destinationRefusal(source, picked);
    if (refusal) {
      await ctx.prompts().notify('info', refusal);
      return undefined;
    }
    const from = shownReference(source);
    const to = shownReference(destination);
    const src = await ctx.stores.target(source);
    const movesAgreed = await confirmTagMoves(ctx, src, destination, tags, to, { verb: 'Copying', action: 'Copy' });
    if (!movesAgreed) return undefined;
    // Someone at the editor wants what can be copied copied: a failing tag is logged and the next one goes on
    // (the CLI's --keep-going); the summary names the failed tags and offers the log with their reasons.
    const summary = await transferTags(ctx, `Copying ${from} to ${to}`, src, destination, {
      tags,
      referrers,
      movesAgreed,
      keepGoing: true,
    });
    refreshStore(ctx, destination);
    notifyTagsDone(
      ctx,
      TITLE,
      destination,
      (where) =>
        `Copied ${counted(tagsMoved(summary), 'tag')} of ${from} to ${where}: ${formatCopyTagsSummary(summary)}`,
      summary,
    );
    return summary;
  };
}

/** Why the destination picked cannot take a repository's tags (only a typed reference gets here with one). */
function destinationRefusal(source: StoreRef, picked: TypedDestination): string | undefined {
  if (picked.store.kind !== 'registry')
    return 'Copy Repository To… copies into a registry repository (Back Up Repository… writes a layout): name a repository.';
  if (picked.tag !== undefined)
    return `Copy Repository To… keeps each tag's name: name the destination repository without ":${picked.tag}".`;
  if (storeId(picked.store) === storeId(source)) return `${shownReference(source)} is the repository being copied.`;
  return undefined;
}
