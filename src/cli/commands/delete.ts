import { UsageError } from '../args';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../commonOptions';
import type { Command } from '../command';
import { OciError } from '../../core/oci';
import { deleteManifest, printDeleted, WITH_REFERRERS_OPTION } from '../manifestDeletion';
import { CLEANUP_OPTIONS, cleanUpTags, isTagCleanup } from '../tagCleanup';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete a manifest (by digest, or by tag with its digest confirmed) and every tag naming it',
  examples: [
    {
      does: 'delete the manifest a tag names, its digest confirmed (resolve prints it)',
      run: 'stowage delete localhost:5000/team/app:v1 --confirm sha256:<digest>',
    },
    {
      does: 'see which pr-* tags older than 14 days would go, keeping the newest 5',
      run: 'stowage delete --tags pr-* --older-than 14d --keep 5 --dry-run localhost:5000/team/app',
    },
  ],
  usage:
    'stowage delete <repository@digest> | stowage delete <repository:tag> --confirm <digest> [--with-referrers]\n       stowage delete --tags <glob> [--older-than 14d] [--keep n] (--dry-run | --yes) <repository> [--with-referrers]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'confirm',
      type: 'string',
      valueName: 'digest',
      description: 'the digest the tag must name for the delete to go ahead',
    },
    WITH_REFERRERS_OPTION,
    OCI_LAYOUT_OPTION,
    ...CLEANUP_OPTIONS,
  ],
  arity: [1, 1],
  async run(context) {
    const { io, args, session, signal } = context;
    const input = args.positionals[0]!;
    if (isTagCleanup(args.options)) {
      if (args.options['confirm'] !== undefined)
        throw new UsageError('--confirm names the digest of one tag: with --tags, --dry-run shows what goes');
      return cleanUpTags(context, input);
    }
    const stray = CLEANUP_OPTIONS.find((o) => o.name !== 'tags' && args.options[o.name] !== undefined);
    if (stray) throw new UsageError(`--${stray.name} goes with --tags (delete by pattern)`);
    const opened = await session.openManifest(input, { explicit: true });
    const { target, reference, tagOrDigest } = opened;
    const descriptor = await target.resolve(tagOrDigest, { signal });
    if (!reference.digest) {
      const confirmed = args.options['confirm'] as string | undefined;
      if (!confirmed)
        throw new UsageError(
          `${input} names ${descriptor.digest}; deleting removes that manifest and all its tags. Run again with --confirm ${descriptor.digest}`,
        );
      // A safety refusal, not a mistyped command line: exit 1, no usage text.
      if (confirmed !== descriptor.digest)
        throw new OciError(
          'CONFLICT',
          `${input} names ${descriptor.digest}, not ${confirmed} (it moved since, or another digest was given); nothing deleted`,
        );
    }
    const { deleted } = await deleteManifest(
      io,
      target,
      descriptor,
      !!args.options['with-referrers'],
      signal,
      reference.digest ? [] : [tagOrDigest],
    );
    printDeleted(io, opened, descriptor, deleted, `${target.location}@${descriptor.digest}`);
    return 0;
  },
};
