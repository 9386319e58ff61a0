// "Delete…": removes a manifest by digest, after a modal confirmation that names the digest, the tags that go
// with it and the referrers left behind. A referrer kept in a fallback index is also taken out of that index.
import type { Descriptor } from '../../core/descriptor';
import { createLimiter } from '../../core/limit';
import { listReferrers, removeFromFallbackIndex } from '../../core/referrers';
import type { Target } from '../../core/target';
import { isManifestNode, storeId, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { pickArtifact, resolveManifest } from './pickers';

export function deleteManifest(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const source = isManifestNode(node) ? node : await pickArtifact(ctx, 'Delete');
    if (!source) return false;
    const { target, descriptor } = await resolveManifest(ctx, source);
    const listed = source.store.kind === 'registry' ? ctx.registries.loadedItems(storeId(source.store)) : ctx.layouts.loadedItems(storeId(source.store));
    const [tags, referrers] = await Promise.all([tagsNaming(target, descriptor, listed), listReferrers(target, descriptor.digest).catch(() => [])]);
    const detail = [
      tags.length ? `Tags removed with it: ${tags.join(', ')}.` : 'No listed tag names it.',
      referrers.length ? `${referrers.length} referrer(s) (signatures, SBOMs…) stay, without their subject.` : undefined,
      source.referrer?.source === 'fallback-tag' ? 'Its entry in the fallback referrers index is removed too.' : undefined,
      target.kind === 'layout' ? 'Blobs stay in the layout until garbage collection.' : undefined,
      'This cannot be undone.',
    ].filter(Boolean).join('\n');
    const confirmed = await ctx.prompts().confirm({ message: `Delete ${descriptor.digest} from ${target.location}?`, detail, action: 'Delete' });
    if (!confirmed) return false;
    await target.deleteManifest(descriptor);
    if (source.referrer?.source === 'fallback-tag' && source.subject) await removeFromFallbackIndex(target, source.subject, descriptor.digest);
    ctx.log.info(`Deleted ${descriptor.digest} from ${target.location}${tags.length ? ` (tags ${tags.join(', ')})` : ''}`);
    refreshStore(ctx, source.store);
    return true;
  };
}

/** Which of the tags the view has listed name this manifest (bounded: only those already listed). */
async function tagsNaming(target: Target, descriptor: Descriptor, listed: readonly string[]): Promise<string[]> {
  const limit = createLimiter(4);
  const named = await Promise.all(
    listed.map((tag) =>
      limit(async () => {
        try {
          return (await target.resolve(tag)).digest === descriptor.digest ? tag : undefined;
        } catch {
          return undefined;
        }
      }),
    ),
  );
  return named.filter((t): t is string => t !== undefined);
}
