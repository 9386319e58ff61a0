// What Push Manifest… says beyond its checks, in the editor's words over core's facts (core/lint's
// manifestPushNotes, which `stowage manifest push` prints too): digests shortened, and Push as Artifact… offered
// beside `stowage blob push` for a blob the registry lacks.
import {
  missingBlobAdvice as adviceFor,
  missingBlobs,
  namedBefore,
  refusalForMissingBlobs as refusalFor,
  subjectOf,
  type MovedTag,
  type Problem,
} from '../../core/lint';
import type { Manifest, StoreRef } from '../../core/oci';
import { shownReference } from '../shownReference';
import { shownDigest } from './doneWithReference';

/** ", a referrer of sha256:…" for a manifest with a subject. */
export function subjectNote(manifest: Manifest): string {
  const subject = subjectOf(manifest);
  return subject ? `, a referrer of ${shownDigest(subject)}` : '';
}

/** " (it named sha256:… before)" when the push moved the tag. */
export function movedNote(moved: MovedTag | undefined): string {
  return moved ? ` (${namedBefore(moved, shownDigest)})` : '';
}

/** What to do about blobs a registry lacks; undefined when none is missing or the destination is a layout. */
export function missingBlobAdvice(errors: readonly Problem[], manifest: Manifest, destination: StoreRef) {
  const missing = missingBlobs(errors, manifest);
  if (destination.kind !== 'registry' || !missing.length) return undefined;
  const repository = shownReference(destination);
  return adviceFor(
    missing,
    repository,
    `stowage blob push ${repository} FILE`,
    (several) => `Push as Artifact… of ${several ? 'their files' : 'its file'}`,
  );
}

/** A registry's refusal for a blob the check found missing, said with the blobs and what to do; else `err`. */
export function refusalForMissingBlobs(
  err: unknown,
  errors: readonly Problem[],
  manifest: Manifest,
  destination: StoreRef,
): unknown {
  if (destination.kind !== 'registry') return err;
  return refusalFor(err, missingBlobs(errors, manifest), shownReference(destination));
}
