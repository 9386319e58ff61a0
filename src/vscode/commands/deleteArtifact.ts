// "Delete…": removes a manifest by digest after a modal confirmation that names the digest, the tags that go
// with it and how many referrers (recursively) refer to it, offering to delete those too. Only true referrers are
// counted and deleted (the engine judges each listed one by its own subject). The engine keeps fallback referrers
// indexes true either way.
import * as vscode from 'vscode';
import { storeId, counted } from '../../core/oci';
import { deleteArtifact as deletePlanned, planDelete, type DeletePlan } from '../../core/graph';
import type { Target } from '../../core/content';
import { toAbortSignal } from '../abort';
import { notificationProgress } from '../progress';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { pickArtifact, resolveManifest } from './pickers';
import { runSteps } from '../multiStep';
import { artifactsToDelete, deleteSeveral } from './deleteSeveral';
import { tagsNaming } from './tagsNaming';

const DELETE = 'Delete';

export function deleteArtifact(ctx: CommandContext) {
  return async (node?: TreeNode, selected?: readonly TreeNode[]): Promise<boolean> => {
    // Several rows selected, the one clicked among them: all of them, after one confirmation.
    const several = artifactsToDelete(node, selected);
    if (several.length > 1) return deleteSeveral(ctx, several);
    let source = isManifestNode(node) ? node : undefined;
    // From the palette: a selected artifact or "Type a reference…", whose question offers Back to the list.
    if (!source && !(await runSteps(ctx, [{ ask: async (c) => (source = await pickArtifact(c, DELETE)) }])))
      return false;
    if (!source) return false;
    const { target, descriptor } = await resolveManifest(ctx, source);
    const listed =
      source.store.kind === 'registry'
        ? ctx.registries.loadedItems(storeId(source.store))
        : ctx.layouts.loadedItems(storeId(source.store));
    const [tags, plan] = await Promise.all([tagsNaming(target, descriptor, listed), planDelete(target, descriptor)]);
    const count = plan.referrers.length;
    const withReferrers =
      count && !plan.truncated ? `Delete with ${count} ${count === 1 ? 'Referrer' : 'Referrers'}` : undefined;
    const choice = await ctx.prompts().choose({
      message: `Delete ${descriptor.digest} from ${target.location}?`,
      detail: confirmationDetail(target, tags, plan, withReferrers),
      actions: withReferrers ? [DELETE, withReferrers] : [DELETE],
    });
    if (!choice) return false;
    const { deleted } = await vscode.window.withProgress(
      notificationProgress(`Deleting from ${target.location}`),
      (_progress, token) =>
        // The tags the confirmation named must still name it: one moved while it was open (to an index holding this
        // manifest, say) would lose its new content's manifest to a delete by digest (DeleteOptions.tags).
        deletePlanned(target, plan, { withReferrers: choice === withReferrers, tags, signal: toAbortSignal(token) }),
    );
    ctx.log.info(
      `Deleted ${deleted.map((d) => d.digest).join(', ')} from ${target.location}${tags.length ? ` (tags ${tags.join(', ')})` : ''}`,
    );
    refreshStore(ctx, source.store);
    const referrers = deleted.length - 1;
    void ctx
      .prompts()
      .notify(
        'info',
        `Deleted ${descriptor.digest}${tags.length ? ` (${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')})` : ''}${referrers > 0 ? ` and ${counted(referrers, 'referrer')}` : ''} from ${target.location}.`,
      );
    return true;
  };
}

function confirmationDetail(
  target: Target,
  tags: readonly string[],
  plan: DeletePlan,
  withReferrers: string | undefined,
): string {
  const count = plan.referrers.length;
  return [
    tags.length ? `Tags removed with it: ${tags.join(', ')}.` : 'No listed tag names it.',
    count === 0 ? 'Nothing refers to it.' : undefined,
    withReferrers
      ? `${counted(count, 'referrer')} (signatures, SBOMs… and what refers to them) ${count === 1 ? 'refers' : 'refer'} to it. "${DELETE}" leaves them without their subject; "${withReferrers}" removes them too.`
      : undefined,
    notReferrers(plan),
    plan.truncated
      ? `More than ${count} referrers refer to it, too many to delete here: they stay, without their subject.`
      : undefined,
    plan.rootSubject
      ? 'It refers to another artifact: its entry in that artifact’s referrers index is removed too.'
      : undefined,
    target.kind === 'layout' ? 'Blobs stay in the layout until garbage collection.' : undefined,
    'This cannot be undone.',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Manifests listed as referrers that are not (their own subject is another, or none): never deleted. */
function notReferrers(plan: DeletePlan): string | undefined {
  const present = new Set(plan.notReferrers.filter((r) => !r.missing).map((r) => r.digest)).size;
  if (present === 0) return undefined;
  return `${counted(present, 'manifest')} listed as ${present === 1 ? 'a referrer is not one' : 'referrers are not'} (${present === 1 ? 'its own subject is another, or none' : 'their own subject is another, or none'}): not counted, and ${present === 1 ? 'it stays' : 'they stay'}.`;
}
