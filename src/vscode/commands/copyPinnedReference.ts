// "Copy Pinned Reference": `repo:tag@sha256:…`, the tag for people and the digest for machines (a deployment
// that pins it gets exactly what was copied even if the tag moves later).
import * as vscode from 'vscode';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickArtifact } from './pickers';
import { pinnedReferenceOf } from './pinnedReference';

export function copyPinnedReference(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const artifact = isManifestNode(node) ? node : await pickArtifact(ctx, 'Copy Pinned Reference');
    if (!artifact) return undefined;
    const text = await pinnedReferenceOf(ctx.stores, artifact);
    await vscode.env.clipboard.writeText(text);
    ctx.prompts().done(`Copied ${text}`);
    return text;
  };
}
