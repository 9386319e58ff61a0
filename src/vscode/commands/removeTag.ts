// "Remove Tag…" on a tag in an image layout: the tag goes, the manifest stays (under its other tags, or untagged
// until Garbage Collect Layout removes it). Delete… removes the manifest with every tag naming it; registries can
// only do that (distribution deletes manifests, not tags), so this is offered in layouts only.
import { isUntagger } from '../../core/content';
import { printable } from '../../core/oci';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { pickArtifact } from './pickers';

export function removeTag(ctx: CommandContext) {
  return async (given?: TreeNode, selected?: readonly TreeNode[]): Promise<string | undefined> => {
    // Several tags of one layout selected, the one clicked among them: all of them, after one confirmation.
    const several = tagsToRemove(given, selected);
    if (several.length > 1) return removeSeveral(ctx, several);
    // From the palette: a tag selected in Image Layouts, or a typed oci:/path:tag.
    const node = given ?? (await pickArtifact(ctx, 'Remove Tag'));
    if (node === undefined) return undefined;
    if (!isManifestNode(node) || node.tag === undefined || node.store.kind !== 'layout' || node.store.archive) {
      await ctx
        .prompts()
        .notify(
          'info',
          'Remove Tag… removes a tag of an image layout folder; in a registry, Delete… removes the manifest with its tags.',
        );
      return undefined;
    }
    const { tag, store } = node;
    const target = await ctx.stores.target(store);
    if (!isUntagger(target)) return undefined;
    const confirmed = await ctx.prompts().confirm({
      message: `Remove the tag ${printable(tag)} from ${printable(store.path)}?`,
      detail:
        'The manifest stays in the layout: under its other tags, or untagged until Garbage Collect Layout removes it.',
      action: 'Remove Tag',
    });
    if (!confirmed) return undefined;
    await target.untag(tag);
    ctx.log.info(`Removed the tag ${tag} from ${store.path}`);
    refreshStore(ctx, store);
    void ctx.prompts().notify('info', `Removed the tag ${tag} from ${store.path}; the manifest stays.`);
    return tag;
  };
}

/** The selected tags of the layout folder whose tag was clicked (VS Code passes the row and the whole selection). */
function tagsToRemove(node: TreeNode | undefined, selected: unknown): (ManifestNode & { tag: string })[] {
  if (!isManifestNode(node) || !Array.isArray(selected) || !selected.includes(node)) return [];
  if (node.tag === undefined || node.store.kind !== 'layout' || node.store.archive) return [];
  const store = node.store;
  return selected.filter(
    (n): n is ManifestNode & { tag: string } =>
      isManifestNode(n) && n.tag !== undefined && n.store.kind === 'layout' && n.store.path === store.path,
  );
}

async function removeSeveral(
  ctx: CommandContext,
  nodes: readonly (ManifestNode & { tag: string })[],
): Promise<string | undefined> {
  const store = nodes[0]!.store;
  if (store.kind !== 'layout') return undefined;
  const tags = [...new Set(nodes.map((n) => n.tag))];
  const target = await ctx.stores.target(store);
  if (!isUntagger(target)) return undefined;
  const confirmed = await ctx.prompts().confirm({
    message: `Remove ${tags.length} tags from ${printable(store.path)}?`,
    detail: `${tags.map((t) => printable(t)).join(', ')}\n\nThe manifests stay in the layout: under their other tags, or untagged until Garbage Collect Layout removes them.`,
    action: 'Remove Tags',
  });
  if (!confirmed) return undefined;
  try {
    for (const tag of tags) await target.untag(tag);
  } finally {
    refreshStore(ctx, store);
  }
  ctx.log.info(`Removed the tags ${tags.join(', ')} from ${store.path}`);
  void ctx.prompts().notify('info', `Removed the tags ${tags.join(', ')} from ${store.path}; the manifests stay.`);
  return tags.join(',');
}
