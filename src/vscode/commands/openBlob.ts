// Opens a config or layer, or a file inside a tar layer: text as a read-only document, binary content as a summary
// of what it is.
import type * as vscode from 'vscode';
import { openStowageDocument } from '../documents/StowageDocuments';
import { isBlobNode, isLayerEntryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';

export function openBlob(_ctx: CommandContext) {
  return async (node?: TreeNode): Promise<vscode.TextDocument | undefined> => {
    if (!isBlobNode(node)) return undefined;
    return openStowageDocument({ kind: 'blob', store: node.store, descriptor: node.descriptor });
  };
}

export function openLayerFile(_ctx: CommandContext) {
  return async (node?: TreeNode): Promise<vscode.TextDocument | undefined> => {
    if (!isLayerEntryNode(node)) return undefined;
    return openStowageDocument({
      kind: 'layerFile',
      store: node.store,
      descriptor: node.layer,
      entry: node.entry.path,
    });
  };
}
