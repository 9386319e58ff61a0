// "Restore to Registry…": tags of a layout folder or archive (all, or those chosen) pushed into a registry
// repository with the referrers it holds (API or fallback tag, as the registry supports), skipping blobs the
// registry has, in one cancellable transfer ending with a summary. The engine is core's copyTags, as behind
// `stowage restore`.
import {
  DoneSoFar,
  describeStoppedTransfer,
  formatCopyTagsSummary,
  selectTags,
  tagsMoved,
  type CopyTagsSummary,
} from '../../core/graph';
import { formatReference, type StoreRef, counted } from '../../core/oci';
import { isLayoutNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { askTags } from './backupRepository';
import { confirmTagMoves } from './tagMoves';
import { pickDestination } from './pickers';
import { runSteps } from '../multiStep';
import { transferTags } from './transferTags';
import { notifyTagsDone } from './notifyTransferDone';
import { isCancellation } from '../errorAdvice';
import { shownReference } from '../shownReference';

const TITLE = 'Restore to Registry';

export interface RestoreRequest {
  destination?: StoreRef;
  /** Tags to restore; all when empty. */
  tags?: string[];
  /** Referrers the backup holds are restored unless false. */
  referrers?: boolean;
}

export function restoreToRegistry(ctx: CommandContext) {
  return async (node?: TreeNode, request: RestoreRequest = {}): Promise<CopyTagsSummary | undefined> => {
    let source: StoreRef | undefined = isLayoutNode(node) ? node.store : undefined;
    let destination = request.destination;
    let tags = request.tags;
    const answered = await runSteps(ctx, [
      { when: () => !isLayoutNode(node), questions: 0, ask: async (c) => (source = await pickSource(c)) },
      {
        when: () => !request.destination,
        ask: async (c) =>
          (destination = (
            await pickDestination(c, TITLE, { typedReference: true, registriesOnly: true, repositoryOnly: true })
          )?.store),
      },
      {
        when: () => request.tags === undefined,
        ask: async (c) => (tags = await askTags(c, TITLE, await selectTags(await c.stores.target(source!), {}))),
      },
    ]);
    if (!answered || !source || !destination || !tags) return undefined;
    if (destination.kind !== 'registry') {
      // Only a typed oci: reference gets here.
      await ctx.prompts().notify('info', 'Restore to Registry… pushes into a registry repository: name a repository.');
      return undefined;
    }
    const src = await ctx.stores.target(source);
    const to = formatReference(destination);
    const movesAgreed = await confirmTagMoves(ctx, src, destination, tags, to, {
      verb: 'Restoring',
      action: 'Restore',
    });
    if (!movesAgreed) return undefined;
    const into = destination;
    const restored = new DoneSoFar();
    const summary = await transferTags(ctx, `Restoring ${src.location} to ${to}`, src, destination, {
      tags,
      movesAgreed,
      referrers: request.referrers ?? true,
      keepGoing: true,
      onTag: restored.onTag,
    }).then(undefined, (error: unknown) => {
      tellWhatWasRestored(ctx, into, restored, error);
      throw error;
    });
    refreshStore(ctx, destination);
    notifyTagsDone(
      ctx,
      TITLE,
      destination,
      (where) => `Restored ${counted(tagsMoved(summary), 'tag')} to ${where}: ${formatCopyTagsSummary(summary)}`,
      summary,
    );
    return summary;
  };
}

/**
 * A restore that stopped (cancelled, failed) leaves the tags it finished in the registry, whole, and the blobs it
 * pushed for the others: the user is told how many and that restoring again pushes only what is missing (a cancel
 * said nothing).
 */
function tellWhatWasRestored(ctx: CommandContext, destination: StoreRef, restored: DoneSoFar, error: unknown): void {
  const stop = { run: 'restore', cancelled: isCancellation(error), done: restored } as const;
  ctx.log.info(describeStoppedTransfer({ ...stop, where: formatReference(destination), again: `${TITLE} again` }));
  void ctx
    .prompts()
    .notify(
      'info',
      describeStoppedTransfer({ ...stop, where: shownReference(destination), again: 'Restore to Registry… again' }),
    );
}

/** From the palette: a layout folder or .tar archive chosen on disk. */
async function pickSource(ctx: CommandContext): Promise<StoreRef | undefined> {
  const picked = await ctx.prompts().openDialog({
    title: TITLE,
    canSelectFolders: true,
    canSelectFiles: true,
    canSelectMany: false,
    filters: { 'Layout archives': ['tar'] },
    openLabel: 'Restore',
  });
  const chosen = picked?.[0]?.fsPath;
  if (!chosen) return undefined;
  return /\.tar$/i.test(chosen) ? { kind: 'layout', path: chosen, archive: true } : { kind: 'layout', path: chosen };
}
