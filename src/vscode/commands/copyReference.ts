// "Copy Reference": the artifact's reference (by tag when it has one, else by digest) to the clipboard.
import * as vscode from 'vscode';
import { formatReference } from '../../core/oci';
import { isManifestNode, isStoreNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { checkedReference } from './pinnedReference';

export function copyReference(_ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
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
    return text;
  };
}
