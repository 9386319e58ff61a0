// "Copy Digest": the manifest's or blob's digest to the clipboard (a tag is resolved now: it may have moved).
import * as vscode from 'vscode';
import { assertDigest } from '../../core/oci';
import { isBlobNode, isManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickArtifact, resolveManifest } from './pickers';

/** From the palette it asks for a reference: "what is the digest of app:v1 now?" */
export function copyDigest(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    let digest: string | undefined;
    const artifact = node === undefined ? await pickArtifact(ctx, 'Copy Digest') : node;
    if (isBlobNode(artifact)) digest = artifact.descriptor.digest;
    else if (isManifestNode(artifact)) digest = (await resolveManifest(ctx, artifact)).descriptor.digest;
    if (!digest) return undefined;
    assertDigest(digest); // a manifest may list anything as a digest, a line break and a command included
    await vscode.env.clipboard.writeText(digest);
    ctx.prompts().done(`Copied ${digest}`);
    return digest;
  };
}
