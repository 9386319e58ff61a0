// "Copy Reference": the artifact's reference (by tag when it has one, else by digest) to the clipboard.
import * as vscode from 'vscode';
import { formatReference } from '../../core/oci';
import { isManifestNode, isStoreNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { checkedReference } from './pinnedReference';
import { pickArtifact } from './pickers';

export function copyReference(ctx: CommandContext) {
  return async (given?: TreeNode): Promise<string | undefined> => {
    // From the palette (a keyboard user's way to every context-menu command): an artifact selected in the views, or
    // a typed one, copied as the tree would copy it.
    const node = given ?? (await pickArtifact(ctx, 'Copy Reference'));
    let text: string | undefined;
    if (isManifestNode(node))
      text = checkedReference(
        node.store,
        node.tag !== undefined ? { tag: node.tag } : { digest: node.descriptor?.digest },
      );
    else if (isStoreNode(node)) text = formatReference(node.store);
    else if (node?.type === 'blob') text = checkedReference(node.store, { digest: node.descriptor.digest });
    if (!text) return undefined;
    await vscode.env.clipboard.writeText(text);
    ctx.prompts().done(`Copied ${text}`);
    return text;
  };
}
