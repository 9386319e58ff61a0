// Deleting one manifest as `stowage delete` and `manifest delete` do: its referrers with it when asked (else named
// as left behind), then ORAS's "Deleted" lines. Also what a clean-up by tag runs for each manifest it deletes.
import { deleteArtifact, describeNotAReferrer, planDelete } from '../core/graph';
import type { Target } from '../core/content';
import { counted, NotFoundError, type Descriptor } from '../core/oci';
import type { OpenedTarget } from '../core/open';
import type { ParsedArgs } from './args';
import { print, printError, type CliIO } from './command';
import { storeLabel } from './orasOutput';

export const WITH_REFERRERS_OPTION = {
  name: 'with-referrers',
  type: 'boolean',
  description: 'also delete what refers to it (signatures, SBOMs…, and what refers to those), as the editor offers',
} as const;

/**
 * Deletes a manifest (unless a tag it was found by was moved since), and its referrers (deepest first) when asked; a deleted referrer leaves its subject's fallback
 * index (core/graph/deleteArtifact.ts, as the editor's Delete…). Referrers left behind are named on stderr, and
 * so is each manifest listed as a referrer that is not one (its own subject is another, or none): it stays.
 */
export async function deleteManifest(
  io: CliIO,
  target: Target,
  descriptor: Descriptor,
  withReferrers: boolean,
  signal: AbortSignal,
  /** The tags it was found by, which must still name it when the delete comes (see DeleteOptions.tags). */
  tags: readonly string[] = [],
): Promise<{ deleted: Descriptor[] }> {
  const plan = await planDelete(target, descriptor, signal);
  const result = await deleteArtifact(target, plan, { withReferrers, tags, signal });
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
