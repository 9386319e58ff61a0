// "Delete…" on several artifacts selected in a view: one confirmation naming each (digest, tags, store) and what
// refers to them, then one cancellable progress deleting them in turn. A selection of several tags used to delete
// the row right-clicked only, after a confirmation that named it alone.
import * as vscode from 'vscode';
import { counted, OciError, storeId, type Descriptor } from '../../core/oci';
import { deleteArtifact as deletePlanned, planDelete, type DeletePlan } from '../../core/graph';
import { createLimiter, type Target } from '../../core/content';
import { toAbortSignal } from '../abort';
import { notificationProgress } from '../progress';
import type { ManifestNode, TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { resolveManifest } from './pickers';
import { tagsByDigest } from './tagsNaming';
import { selectedArtifacts } from './selection';
import { shownReference } from '../shownReference';

/** Artifacts whose delete is planned at once (each reads its manifest and referrers). */
const PLANNED_AT_ONCE = 4;

/** Artifacts named one by one in the confirmation; the rest are counted. */
const NAMED_IN_CONFIRMATION = 12;

const DELETE = 'Delete';

/**
 * The artifacts a tree command acts on: VS Code passes the row clicked and, when it is part of a selection of
 * several, every selected row. Only manifests a user may delete count (an archive is read-only).
 */
export function artifactsToDelete(node: TreeNode | undefined, selected: unknown): ManifestNode[] {
  const artifacts = selectedArtifacts(node, selected);
  return artifacts.length > 1 ? artifacts.filter((n) => !(n.store.kind === 'layout' && n.store.archive)) : artifacts;
}

interface Planned {
  node: ManifestNode;
  target: Target;
  descriptor: Descriptor;
  tags: string[];
  plan: DeletePlan;
}

export async function deleteSeveral(ctx: CommandContext, nodes: readonly ManifestNode[]): Promise<boolean> {
  const planned = await vscode.window.withProgress(
    notificationProgress(`Reading what deleting ${counted(nodes.length, 'artifact')} concerns`),
    (_progress, token) => planAll(ctx, nodes, toAbortSignal(token)),
  );
  const referrers = new Set(planned.flatMap((p) => p.plan.referrers.map((r) => `${p.target.location}@${r.digest}`)));
  for (const p of planned) referrers.delete(`${p.target.location}@${p.descriptor.digest}`);
  const truncated = planned.some((p) => p.plan.truncated);
  const withReferrers =
    referrers.size && !truncated
      ? `Delete with ${referrers.size} ${referrers.size === 1 ? 'Referrer' : 'Referrers'}`
      : undefined;
  const places = [...new Set(planned.map((p) => p.target.location))];
  const choice = await ctx.prompts().choose({
    message: `Delete ${counted(planned.length, 'artifact')}${places.length === 1 ? ` from ${places[0]}` : ''}?`,
    detail: confirmationDetail(planned, places.length > 1, referrers.size, truncated, withReferrers),
    actions: withReferrers ? [DELETE, withReferrers] : [DELETE],
  });
  if (!choice) return false;
  const gone = new Set<string>();
  await vscode.window.withProgress(
    notificationProgress(`Deleting ${counted(planned.length, 'artifact')}`),
    async (progress, token) => {
      const signal = toAbortSignal(token);
      for (const [i, p] of planned.entries()) {
        progress.report({ message: `${i + 1} of ${planned.length}`, increment: 100 / planned.length });
        // Deleted already as a referrer of another selected artifact.
        if (gone.has(`${p.target.location}@${p.descriptor.digest}`)) continue;
        try {
          // The tags the confirmation named must still name it (DeleteOptions.tags), as for one artifact.
          const { deleted } = await deletePlanned(p.target, p.plan, {
            withReferrers: choice === withReferrers,
            tags: p.tags,
            signal,
          });
          for (const d of deleted) gone.add(`${p.target.location}@${d.digest}`);
          ctx.log.info(
            `Deleted ${deleted.map((d) => d.digest).join(', ')} from ${p.target.location}${p.tags.length ? ` (tags ${p.tags.join(', ')})` : ''}`,
          );
        } catch (error) {
          if (!OciError.is(error, 'NOT_FOUND')) throw error;
          ctx.log.info(`${p.descriptor.digest} was gone from ${p.target.location} already`);
        } finally {
          refreshStore(ctx, p.node.store);
        }
      }
    },
  );
  const tags = planned.flatMap((p) => p.tags);
  const extra = gone.size - planned.filter((p) => gone.has(`${p.target.location}@${p.descriptor.digest}`)).length;
  void ctx
    .prompts()
    .notify(
      'info',
      `Deleted ${counted(planned.length, 'artifact')}${tags.length ? ` (${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')})` : ''}${extra > 0 ? ` and ${counted(extra, 'referrer')}` : ''}${places.length === 1 ? ` from ${places[0]}` : ''}.`,
    );
  return true;
}

/**
 * Each artifact's manifest, referrers and tags, a few at a time: the listed tags of a store are resolved once for
 * all of its selected artifacts (not once per artifact: 100 tags selected among 100 listed made 10,000 reads).
 */
async function planAll(ctx: CommandContext, nodes: readonly ManifestNode[], signal: AbortSignal): Promise<Planned[]> {
  const limit = createLimiter(PLANNED_AT_ONCE);
  const tagsOfStore = new Map<string, Promise<Map<string, string[]>>>();
  const planned = await Promise.all(
    nodes.map((node) =>
      limit(async (): Promise<Planned> => {
        const { target, descriptor } = await resolveManifest(ctx, node);
        const id = storeId(node.store);
        const provider = node.store.kind === 'registry' ? ctx.registries : ctx.layouts;
        let tags = tagsOfStore.get(id);
        if (!tags) tagsOfStore.set(id, (tags = tagsByDigest(target, provider.loadedItems(id), signal)));
        const [byDigest, plan] = await Promise.all([tags, planDelete(target, descriptor, signal)]);
        return { node, target, descriptor, tags: byDigest.get(descriptor.digest) ?? [], plan };
      }),
    ),
  );
  return distinct(planned);
}

/** Two rows naming one manifest (two tags of it, or a tag and its digest row) delete it once. */
function distinct(planned: Planned[]): Planned[] {
  const byManifest = new Map<string, Planned>();
  for (const p of planned) {
    const key = `${p.target.location}@${p.descriptor.digest}`;
    if (!byManifest.has(key)) byManifest.set(key, p);
  }
  return [...byManifest.values()];
}

function confirmationDetail(
  planned: readonly Planned[],
  namePlaces: boolean,
  referrers: number,
  truncated: boolean,
  withReferrers: string | undefined,
): string {
  const named = planned.slice(0, NAMED_IN_CONFIRMATION).map((p) => {
    const tags = p.tags.length ? ` (${p.tags.length === 1 ? 'tag' : 'tags'} ${p.tags.join(', ')})` : ' (no listed tag)';
    return `${p.descriptor.digest}${tags}${namePlaces ? ` in ${shownReference(p.node.store)}` : ''}`;
  });
  const more = planned.length - named.length;
  return [
    ...named,
    more > 0 ? `and ${more} more` : undefined,
    '',
    referrers === 0 ? 'Nothing else refers to them.' : undefined,
    withReferrers
      ? `${counted(referrers, 'referrer')} (signatures, SBOMs… and what refers to them) ${referrers === 1 ? 'refers' : 'refer'} to them. "${DELETE}" leaves them without their subject; "${withReferrers}" removes them too.`
      : undefined,
    truncated ? 'One of them has too many referrers to delete here: they stay, without their subject.' : undefined,
    planned.some((p) => p.target.kind === 'layout') ? 'Blobs stay in a layout until garbage collection.' : undefined,
    'The tags naming them go with them. This cannot be undone.',
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}
