// "Add Tag…": points a new tag at the manifest (the old tags stay).
import { runSteps } from '../multiStep';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { notifyWithPinnedReference, shownDigest } from './doneWithReference';
import { askTag, pickArtifact, resolveManifest } from './pickers';

export function addTag(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    let source: ManifestNode | undefined = isManifestNode(node) ? node : undefined;
    let tag: string | undefined;
    // From the palette: the artifact, then the tag, numbered, with Back to the artifact.
    const answered = await runSteps(ctx, [
      {
        questions: source ? 0 : 1,
        ask: async (c) => (isManifestNode(node) ? node : (source = await pickArtifact(c, 'Add Tag'))),
      },
      {
        ask: async (c) =>
          (tag = await askTag(c, 'Add Tag', {
            prompt: source!.tag !== undefined ? `New tag (${source!.tag} stays)` : 'New tag',
            existing: source!.tag,
          })) || undefined,
      },
    ]);
    if (!answered || !source || !tag) return undefined;
    const { target, descriptor } = await resolveManifest(ctx, source);
    await target.tag(descriptor, tag);
    ctx.log.info(`Tagged ${descriptor.digest} in ${target.location} as ${tag}`);
    refreshStore(ctx, source.store);
    void notifyWithPinnedReference(
      ctx.prompts(),
      `Tagged ${target.location}@${shownDigest(descriptor.digest)} as ${tag}.`,
      { store: source.store, tag, digest: descriptor.digest },
    );
    return tag;
  };
}
