import { UsageError, type ParsedArgs } from '../args';
import { COMMON_OPTIONS, OCI_LAYOUT_OPTION } from '../commonOptions';
import { print, printError, type Command, type CliIO } from '../command';
import { deleteArtifact, describeNotAReferrer, planDelete } from '../../core/graph';
import type { Target } from '../../core/content';
import { counted, NotFoundError, OciError, type Descriptor } from '../../core/oci';
import type { OpenedTarget } from '../../core/open';
import { storeLabel } from '../orasOutput';

/**
 * ORAS's `manifest delete --force` and `blob delete --force` of what is not there: "Missing <ref>" and success, so a
 * cleanup script can run twice; undefined then. Not with --descriptor or --format json, which print what was deleted.
 */
export async function unlessMissing<T>(
  io: CliIO,
  options: ParsedArgs['options'],
  ref: string,
  find: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await find();
  } catch (err) {
    if (!(err instanceof NotFoundError) || !options['force'] || options['descriptor'] || options['format'] === 'json')
      throw err;
    print(io, `Missing ${ref}`);
    return undefined;
  }
}

export const WITH_REFERRERS_OPTION = {
  name: 'with-referrers',
  type: 'boolean',
  description: 'also delete what refers to it (signatures, SBOMs…, and what refers to those), as the editor offers',
} as const;

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'delete a manifest (by digest, or by tag with its digest confirmed) and every tag naming it',
  usage: 'stowage delete <repository@digest> | stowage delete <repository:tag> --confirm <digest> [--with-referrers]',
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
  ],
  arity: [1, 1],
  async run({ io, args, session, signal }) {
    const input = args.positionals[0]!;
    const opened = await session.openManifest(input);
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
    const { deleted } = await deleteManifest(io, target, descriptor, !!args.options['with-referrers'], signal);
    printDeleted(io, opened, descriptor, deleted, `${target.location}@${descriptor.digest}`);
    return 0;
  },
};

/**
 * Deletes a manifest, and its referrers (deepest first) when asked; a deleted referrer leaves its subject's fallback
 * index (core/graph/deleteArtifact.ts, as the editor's Delete…). Referrers left behind are named on stderr, and
 * so is each manifest listed as a referrer that is not one (its own subject is another, or none): it stays.
 */
export async function deleteManifest(
  io: CliIO,
  target: Target,
  descriptor: Descriptor,
  withReferrers: boolean,
  signal: AbortSignal,
): Promise<{ deleted: Descriptor[] }> {
  const plan = await planDelete(target, descriptor, signal);
  const result = await deleteArtifact(target, plan, { withReferrers, signal });
  if (withReferrers)
    printError(
      io,
      plan.notReferrers.map((r) => describeNotAReferrer(r, 'delete')),
    );
  if (!withReferrers && plan.referrers.length)
    printError(
      io,
      `note: ${counted(plan.referrers.length, 'referrer')} of ${descriptor.digest} (signatures, SBOMs…) stay, without their subject; --with-referrers deletes them too`,
    );
  return result;
}

/**
 * ORAS's "Deleted [registry] name" for the manifest (`name` as the command names it), after a line for each
 * referrer deleted with it (deepest first, as they went).
 */
export function printDeleted(
  io: CliIO,
  opened: OpenedTarget,
  descriptor: Descriptor,
  deleted: readonly Descriptor[],
  name: string,
): void {
  const label = storeLabel(opened);
  print(io, [
    ...deleted
      .filter((d) => d.digest !== descriptor.digest)
      .map((d) => `Deleted referrer ${label} ${opened.target.location}@${d.digest}`),
    `Deleted ${label} ${name}`,
  ]);
}
