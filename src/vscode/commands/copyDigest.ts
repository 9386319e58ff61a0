// "Copy Digest": the manifest's or blob's digest to the clipboard (a tag is resolved now: it may have moved).
import * as vscode from 'vscode';
import { isBlobNode, isManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { resolveManifest } from './pickers';

export function copyDigest(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    let digest: string | undefined;
    if (isBlobNode(node)) digest = node.descriptor.digest;
    else if (isManifestNode(node)) digest = (await resolveManifest(ctx, node)).descriptor.digest;
    if (!digest) return undefined;
    await vscode.env.clipboard.writeText(digest);
    return digest;
  };
}
