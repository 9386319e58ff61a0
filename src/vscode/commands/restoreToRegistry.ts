// "Restore to Registry…": tags of a layout folder or archive (all, or those chosen) pushed into a registry
// repository with the referrers it holds (API or fallback tag, as the registry supports), skipping blobs the
// registry has, in one cancellable transfer ending with a summary. The engine is core's copyTags, as behind
// `stowage restore`.
import { formatCopyTagsSummary, plannedTagMoves, selectTags, type CopyTagsSummary } from '../../core/graph';
import type { Target } from '../../core/content';
import { formatReference, type StoreRef, counted } from '../../core/oci';
import { isLayoutNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { askTags } from './backupRepository';
import { pickDestination } from './pickers';
import { runSteps } from '../multiStep';
import { transferTags } from './transferTags';

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
          (destination = (await pickDestination(c, TITLE, { typedReference: true, registriesOnly: true }))?.store),
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
    if (!(await confirmTagMoves(ctx, src, destination, tags, to))) return undefined;
    const summary = await transferTags(ctx, `Restoring ${src.location} to ${to}`, src, destination, {
      tags,
      referrers: request.referrers ?? true,
    });
    const text = `Restored ${counted(summary.tags.length, 'tag')} to ${to}: ${formatCopyTagsSummary(summary)}`;
    ctx.log.info(text);
    refreshStore(ctx, destination);
    void ctx.prompts().notify('info', text);
    return summary;
  };
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

/**
 * Restoring into a repository in use moves the tags it shares with the backup: they then name other artifacts
 * (what production pulls as v1 changes). That is asked first, naming each tag and both digests; a repository whose
 * tags the backup would not move is restored into without a question.
 */
async function confirmTagMoves(
  ctx: CommandContext,
  src: Target,
  destination: StoreRef,
  tags: string[],
  to: string,
): Promise<boolean> {
  const selected = tags.length ? tags : await selectTags(src, {});
  const moves = await plannedTagMoves(src, await ctx.stores.target(destination), selected);
  if (!moves.length) return true;
  const shown = moves.slice(0, MAX_MOVES_SHOWN);
  return ctx.prompts().confirm({
    message: `Restoring moves ${counted(moves.length, 'tag')} of ${to} that name other artifacts now: ${shown.map((m) => m.tag).join(', ')}${moves.length > shown.length ? ', …' : ''}. Restore anyway?`,
    detail: [
      ...shown.map((m) => `${m.tag}: ${m.from} → ${m.to}`),
      ...(moves.length > shown.length ? [`and ${moves.length - shown.length} more`] : []),
    ].join('\n'),
    action: 'Restore',
  });
}

const MAX_MOVES_SHOWN = 10;
