// "Garbage Collect Layout…": on a layout node (or a layout picked from the palette), finds what garbage
// collection would remove (unreferenced blobs, temporaries crashed writers left), shows the counts and bytes
// in a modal, and removes them only when confirmed.
import * as vscode from 'vscode';
import { printable, formatBytes, counted } from '../../core/oci';
import { DEFAULT_GC_GRACE_MS, type GarbageCollectResult, LayoutTarget } from '../../core/layout';
import { toAbortSignal } from '../abort';
import { isLayoutNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { pickLayoutFolder } from './pickLayoutFolder';

const TITLE = 'Garbage Collect Layout';
const REMOVE = 'Remove';

/** Resolves with what was removed, or undefined when there was nothing to remove or the user cancelled. */
export function garbageCollectLayout(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<GarbageCollectResult | undefined> => {
    const folder = isLayoutNode(node)
      ? node.store.path
      : await pickLayoutFolder(ctx, { title: TITLE, placeHolder: 'The layout to collect garbage in' });
    if (!folder) return undefined;
    const layout = await LayoutTarget.open(folder);
    const run = (dryRun: boolean) =>
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `${dryRun ? 'Checking' : 'Collecting garbage in'} ${layout.location}`,
          cancellable: true,
        },
        (_progress, token) =>
          layout.garbageCollect({ dryRun, graceMs: DEFAULT_GC_GRACE_MS, signal: toAbortSignal(token) }),
      );
    const planned = await run(true);
    if (!planned.blobs.length && !planned.temporaries.length) {
      void ctx
        .prompts()
        .notify('info', `Nothing to remove in ${printable(layout.location)}${keptYoung(planned, ': ')}`);
      return undefined;
    }
    const confirmed = await ctx.prompts().confirm({
      message: `Remove ${describe(planned)} from ${printable(layout.location)}?`,
      detail: [
        planned.blobs.length
          ? `${counted(planned.blobs.length, 'blob')} that no tag reaches: ${formatBytes(sum(planned.blobs))}.`
          : undefined,
        planned.temporaries.length
          ? `${counted(planned.temporaries.length, 'temporary item')} left by interrupted writes: ${formatBytes(sum(planned.temporaries))}.`
          : undefined,
        planned.young.length
          ? keptYoung(planned)
          : `Blobs written in the last ${GRACE_MINUTES} minutes are kept (a push may still be tagging them).`,
        'This cannot be undone.',
      ]
        .filter(Boolean)
        .join('\n'),
      action: REMOVE,
    });
    if (!confirmed) return undefined;
    const removed = await run(false);
    ctx.log.info(`Garbage collected ${layout.location}: ${describe(removed)}`);
    refreshStore(ctx, { kind: 'layout', path: layout.root });
    void ctx
      .prompts()
      .notify(
        'info',
        `Removed ${[
          removed.blobs.length ? counted(removed.blobs.length, 'unreferenced blob') : undefined,
          removed.temporaries.length ? counted(removed.temporaries.length, 'temporary item') : undefined,
        ]
          .filter(Boolean)
          .join(
            ' and ',
          )} (${formatBytes(removed.freedBytes)}) from ${printable(layout.location)}.${keptYoung(removed, ' ')}`,
      );
    return removed;
  };
}

const GRACE_MINUTES = DEFAULT_GC_GRACE_MS / 60_000;

/** What the grace period kept, and why; empty when it kept nothing. */
function keptYoung(result: GarbageCollectResult, lead = ''): string {
  if (!result.young.length) return lead === ': ' ? '.' : '';
  const blobs = counted(result.young.length, 'unreferenced blob');
  return `${lead}${blobs} (${formatBytes(sum(result.young))}) ${result.young.length === 1 ? 'is' : 'are'} kept because ${result.young.length === 1 ? 'it is' : 'they are'} younger than the ${GRACE_MINUTES}-minute grace period: a push may still be tagging ${result.young.length === 1 ? 'it' : 'them'}. Run again once ${result.young.length === 1 ? 'it is' : 'they are'} older to remove ${result.young.length === 1 ? 'it' : 'them'}.`;
}

function sum(items: readonly { size: number }[]): number {
  return items.reduce((total, item) => total + item.size, 0);
}

function describe(result: GarbageCollectResult): string {
  const items = result.blobs.length + result.temporaries.length;
  return `${counted(items, 'item')}, ${formatBytes(result.freedBytes)}`;
}
