// "Restore to Registry…": tags of a layout folder or archive (all, or those chosen) pushed into a registry
// repository with the referrers it holds (API or fallback tag, as the registry supports), skipping blobs the
// registry has, in one cancellable transfer ending with a summary. The engine is core's copyTags, as behind
// `stowage restore`.
import { copyTags, formatCopyTagsSummary, selectTags, type CopyTagsSummary } from '../../core/graph';
import { formatReference, type StoreRef, counted } from '../../core/oci';
import { runTransfer, type TransferStep } from '../progress';
import { isLayoutNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { askTags } from './backupRepository';
import { pickDestination } from './pickers';

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
    const source = isLayoutNode(node) ? node.store : await pickSource(ctx);
    if (!source) return undefined;
    const destination =
      request.destination ?? (await pickDestination(ctx, TITLE, { typedReference: true, registriesOnly: true }))?.store;
    if (!destination) return undefined;
    if (destination.kind !== 'registry') {
      // Only a typed oci: reference gets here.
      await ctx.prompts().notify('info', 'Restore to Registry… pushes into a registry repository: name a repository.');
      return undefined;
    }
    const src = await ctx.stores.target(source);
    const tags = request.tags ?? (await askTags(ctx, TITLE, await selectTags(src, {})));
    if (!tags) return undefined;
    const to = formatReference(destination);
    const summary = await runTransfer(`Restoring ${src.location} to ${to}`, (signal, report) =>
      ctx.stores.writeTo(
        destination,
        (dst) => {
          let step: TransferStep | undefined;
          return copyTags(src, dst, {
            tags,
            referrers: request.referrers ?? true,
            concurrency: ctx.settings().concurrency,
            signal,
            onTag: (e) => (step = { label: e.tag, position: e.position, count: e.count }),
            onProgress: (p) => report(p, step),
          });
        },
        signal,
      ),
    );
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
