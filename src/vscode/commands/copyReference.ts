// "Copy Reference": the artifact's reference (by tag when it has one, else by digest) to the clipboard; of every
// selected row, one per line.
import { formatReference } from '../../core/oci';
import { isManifestNode, isStoreNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { copyCommand } from './copyToClipboard';
import { checkedReference } from './pinnedReference';
import { pickArtifact } from './pickers';

export function copyReference(ctx: CommandContext) {
  // From the palette (a keyboard user's way to every context-menu command): an artifact selected in the views, or
  // a typed one, copied as the tree would copy it.
  return copyCommand(
    ctx,
    'references',
    () => pickArtifact(ctx, 'Copy Reference'),
    async (node?: TreeNode) => {
      if (isManifestNode(node))
        return checkedReference(
          node.store,
          node.tag !== undefined ? { tag: node.tag } : { digest: node.descriptor?.digest },
        );
      if (isStoreNode(node)) return formatReference(node.store);
      if (node?.type === 'blob') return checkedReference(node.store, { digest: node.descriptor.digest });
      return undefined;
    },
  );
}
