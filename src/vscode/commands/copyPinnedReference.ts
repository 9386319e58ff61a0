// "Copy Pinned Reference": `repo:tag@sha256:…`, the tag for people and the digest for machines (a deployment
// that pins it gets exactly what was copied even if the tag moves later); of every selected row, one per line.
import { isManifestNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { copyCommand } from './copyToClipboard';
import { pickArtifact } from './pickers';
import { pinnedReferenceOf } from './pinnedReference';

export function copyPinnedReference(ctx: CommandContext) {
  return copyCommand(
    ctx,
    'pinned references',
    () => pickArtifact(ctx, 'Copy Pinned Reference'),
    async (node) => (isManifestNode(node) ? pinnedReferenceOf(ctx.stores, node) : undefined),
  );
}
