// The artifact a supply-chain command acts on: the node it was run on, or one the user names.
import type { Descriptor } from '../../core/oci';
import type { Target } from '../../core/content';
import { refreshStore } from '../commands/CommandContext';
import { notifyWithPinnedReference, shortName, shownDigest } from '../commands/doneWithReference';
import { pickArtifact, resolveManifest } from '../commands/pickers';
import { referenceOf } from '../graph/GraphPanel';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from './SupplyChainContext';
import { shownReference } from '../shownReference';

export interface Subject {
  node: ManifestNode;
  target: Target;
  descriptor: Descriptor;
  /** The reference as the user knows it (tag when it has one). */
  reference: string;
  /** The same for a notification: a layout in the workspace by its path there, a digest cut short. */
  shown: string;
}

export async function subjectOf(
  ctx: SupplyChainContext,
  node: TreeNode | undefined,
  title: string,
): Promise<Subject | undefined> {
  const picked = isManifestNode(node) ? node : await pickArtifact(ctx, title);
  if (!picked) return undefined;
  const { target, descriptor } = await resolveManifest(ctx, picked);
  const named = picked.tag !== undefined ? { tag: picked.tag } : { digest: descriptor.digest };
  const reference = referenceOf(picked.store, named);
  // The graph and the tree carry the descriptor as listed; only what identifies the content is the subject.
  return {
    node: picked,
    target,
    descriptor: { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size },
    reference,
    // By digest (a graph's node, a digest row): the digest cut as the tree cuts it, or the toast is mostly digest.
    shown:
      picked.tag !== undefined
        ? shownReference({ ...picked.store, tag: picked.tag })
        : shortName(picked.store, undefined, descriptor.digest),
  };
}

/**
 * After an attach: say so, refresh the tree where the subject is (which reloads the graphs of that store), or open
 * the subject's own graph when none shows it, so the new node is in view.
 */
export async function showAttached(
  ctx: SupplyChainContext,
  subject: Subject,
  attached: { what: string; digest: string },
): Promise<void> {
  refreshStore(ctx, subject.node.store);
  void notifyWithPinnedReference(
    ctx.prompts(),
    `Attached ${attached.what} ${shownDigest(attached.digest)} to ${subject.shown}.`,
    { store: subject.node.store, digest: attached.digest },
  );
  if (ctx.graphs.showing(subject.node.store, subject.descriptor.digest).length) return;
  await ctx.graphs.show(subject.node.store, subject.descriptor, subject.reference).load();
}
