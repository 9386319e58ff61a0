// "Open Manifest": the manifest as a read-only, pretty-printed `stowage:` document whose digests are links.
import type * as vscode from 'vscode';
import { openStowageDocument } from '../documents/StowageDocuments';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickArtifact, resolveManifest } from './pickers';

export function openManifest(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<vscode.TextDocument | undefined> => {
    const source = isManifestNode(node) ? node : await pickArtifact(ctx, 'Open Manifest');
    if (!source) return undefined;
    const { descriptor } = await resolveManifest(ctx, source);
    // Opened by a tag, the tab says so ("app:v1 manifest.json"); the digest resolved now is what is read.
    const tag = source.tag !== undefined ? { tag: source.tag } : {};
    return openStowageDocument({ kind: 'manifest', store: source.store, descriptor, ...tag });
  };
}
