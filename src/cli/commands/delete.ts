import { UsageError } from '../args';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../commonOptions';
import { print, type Command } from '../command';
import { removeFromFallbackIndex } from '../../core/graph';
import type { Target } from '../../core/content';
import type { Descriptor } from '../../core/oci';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete a manifest (by digest, or by tag with its digest confirmed) and every tag naming it',
  usage: 'stowage delete <repository@digest> | stowage delete <repository:tag> --confirm <digest>',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'confirm',
      type: 'string',
      valueName: 'digest',
      description: 'the digest the tag must name for the delete to go ahead',
    },
    OCI_LAYOUT_OPTION,
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const input = args.positionals[0]!;
    const { target, reference, tagOrDigest } = await session.openManifest(input);
    const descriptor = await target.resolve(tagOrDigest, { signal });
    if (!reference.digest) {
      const confirmed = args.options['confirm'] as string | undefined;
      if (!confirmed)
        throw new UsageError(
          `${input} names ${descriptor.digest}; deleting removes that manifest and all its tags. Run again with --confirm ${descriptor.digest}`,
        );
      if (confirmed !== descriptor.digest)
        throw new UsageError(`${input} names ${descriptor.digest}, not ${confirmed}; nothing deleted`);
    }
    await deleteManifest(target, descriptor, signal);
    print(io, `deleted ${descriptor.digest}`);
    return 0;
  },
};

/** Deletes a manifest; a deleted referrer must not linger in its subject's fallback index. */
export async function deleteManifest(target: Target, descriptor: Descriptor, signal: AbortSignal): Promise<void> {
  const { manifest } = await target.fetchManifest(descriptor, { signal });
  await target.deleteManifest(descriptor, { signal });
  if (manifest.subject) await removeFromFallbackIndex(target, manifest.subject.digest, descriptor.digest, signal);
}
