// What a tag names at a store just before it is acted on: copies write a tag only if nobody moved it since they
// looked (copyTags, Copy To…), and a delete by tag deletes a manifest only if its tags still name it. A registry
// has no conditional write or delete, so a look just before is the narrowest window there is.
import { OciError, printable, throwIfAborted } from '../oci';
import type { Target } from '../content';

/**
 * Just before `tag` is written at `dst` as `to`: a CONFLICT (`retagged`) when it names another digest than `before`
 * (what it named when last looked; undefined when free) and `to` — a tag pushed there since is not moved unasked; a
 * tag gone since is written, which moves nothing. `mustTell` (the look before had an answer): a destination that
 * cannot answer now (500, a timeout) leaves the tag unwritten too, rather than written over whatever it holds
 * (`unanswered`: what the CONFLICT says of it).
 */
export async function refuseIfRetagged(
  dst: Target,
  tag: string,
  before: string | undefined,
  to: string,
  mustTell: boolean,
  signal: AbortSignal | undefined,
  retagged: (now: string) => OciError,
  unanswered = 'it is left unwritten rather than written over what it names (what was copied stays there, untagged)',
): Promise<void> {
  const at = await tagAt(dst, tag, signal);
  if ('unknown' in at) {
    if (mustTell) throw cannotTell(dst, tag, at.unknown, unanswered);
    return;
  }
  if (at.digest !== undefined && at.digest !== before && at.digest !== to) throw retagged(at.digest);
}

/** What `tag` names at a destination (undefined: not found), or `unknown`: the error of one that would not say. */
export type TagAt = { digest: string | undefined } | { unknown: unknown };

/** What `tag` names at `dst` now (TagAt). */
export async function tagAt(dst: Target, tag: string, signal: AbortSignal | undefined): Promise<TagAt> {
  try {
    return { digest: (await dst.resolve(tag, { signal })).digest };
  } catch (err) {
    throwIfAborted(signal);
    if (OciError.is(err, 'NOT_FOUND')) return { digest: undefined };
    if (OciError.is(err, 'ABORTED')) throw err;
    return { unknown: err };
  }
}

/** A CONFLICT for a tag whose state the destination would not give (`unknown`); `then`: what it means for the tag. */
export function cannotTell(dst: Target, tag: string, unknown: unknown, then: string): OciError {
  const why = unknown instanceof Error ? unknown.message : String(unknown);
  return new OciError('CONFLICT', `cannot tell whether ${dst.location} has tag ${printable(tag)} (${why}); ${then}`, {
    cause: unknown,
  });
}
