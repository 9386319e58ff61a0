// "Copy Digest": the manifest's or blob's digest to the clipboard (a tag is resolved now: it may have moved); of
// every selected row, one per line.
import { assertDigest } from '../../core/oci';
import { isBlobNode, isManifestNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { copyCommand } from './copyToClipboard';
import { pickArtifact, resolveManifest } from './pickers';

/** From the palette it asks for a reference: "what is the digest of app:v1 now?" */
export function copyDigest(ctx: CommandContext) {
  return copyCommand(
    ctx,
    'digests',
    () => pickArtifact(ctx, 'Copy Digest'),
    async (node) => {
      let digest: string | undefined;
      if (isBlobNode(node)) digest = node.descriptor.digest;
      else if (isManifestNode(node)) digest = (await resolveManifest(ctx, node)).descriptor.digest;
      if (digest) assertDigest(digest); // a manifest may list anything as a digest, a line break and a command included
      return digest;
    },
  );
}
