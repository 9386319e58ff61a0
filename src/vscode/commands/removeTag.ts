// "Remove Tag…" on a tag in an image layout: the tag goes, the manifest stays (under its other tags, or untagged
// until Garbage Collect Layout removes it). Delete… removes the manifest with every tag naming it; registries can
// only do that (distribution deletes manifests, not tags), so this is offered in layouts only.
import { isUntagger } from '../../core/content';
import { printable } from '../../core/oci';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { pickArtifact } from './pickers';

export function removeTag(ctx: CommandContext) {
  return async (given?: TreeNode): Promise<string | undefined> => {
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
