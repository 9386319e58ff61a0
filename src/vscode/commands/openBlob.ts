// Opens a config or layer: text as a read-only document, binary content as a summary of what it is.
import type * as vscode from 'vscode';
import { openStowageDocument } from '../documents/StowageDocuments';
import { isBlobNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';

export function openBlob(_ctx: CommandContext) {
  return async (node?: TreeNode): Promise<vscode.TextDocument | undefined> => {
    if (!isBlobNode(node)) return undefined;
    return openStowageDocument({ kind: 'blob', store: node.store, descriptor: node.descriptor });
  };
}
