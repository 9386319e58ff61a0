// "Add Tag…": points a new tag at the manifest (the old tags stay).
import { isManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { COPY_PINNED_REFERENCE, copyWhenChosen, shownDigest } from './doneWithReference';
import { askTag, pickArtifact, resolveManifest } from './pickers';

export function addTag(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const source = isManifestNode(node) ? node : await pickArtifact(ctx, 'Add Tag');
    if (!source) return undefined;
    const tag = await askTag(ctx, 'Add Tag', {
      prompt: source.tag !== undefined ? `New tag (${source.tag} stays)` : 'New tag',
      existing: source.tag,
    });
    if (!tag) return undefined;
    const { target, descriptor } = await resolveManifest(ctx, source);
    await target.tag(descriptor, tag);
    ctx.log.info(`Tagged ${descriptor.digest} in ${target.location} as ${tag}`);
    refreshStore(ctx, source.store);
    void copyWhenChosen(
      ctx
        .prompts()
        .notify(
          'info',
          `Tagged ${target.location}@${shownDigest(descriptor.digest)} as ${tag}.`,
          COPY_PINNED_REFERENCE,
        ),
      { store: source.store, tag, digest: descriptor.digest },
    );
    return tag;
  };
}
