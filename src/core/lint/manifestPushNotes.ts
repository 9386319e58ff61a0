// What a push of a manifest of one's own does beyond its bytes, as facts and short words that `stowage manifest
// push` and the editor's Push Manifest… both print: the tags it moves (and the digest each named before), the
// subject a referrer is pushed for, and the blobs the destination lacks (the digest, the field at fault, what to do).
// A registry's own refusal ("MANIFEST_BLOB_UNKNOWN") named neither the field nor a way on.
import type { ReadOnlyTarget } from '../content';
import { refusedForABlob } from '../graph';
import { isDigest, OciError, printable, type Manifest } from '../oci';
import { formatPath } from './paths';
import type { Problem } from './problem';

/** A tag the push moves from another manifest. */
export interface MovedTag {
  tag: string;
  /** The digest the tag named before the push. */
  before: string;
}

/** A descriptor whose blob (or manifest) the destination lacks. */
export interface MissingBlob {
  /** Its digest, when the field holds a string (printable: it is the user's text). */
  digest: string | undefined;
  /** Where it is in the manifest: "layers[0]", "config". */
  field: string;
}

/** How a digest is shown: the editor shortens it, the CLI prints it whole. */
export type ShowDigest = (digest: string) => string;

/** The tags among `tags` that name a manifest other than `digest` in `store` now (a tag not there moves nothing). */
export async function tagsMoved(
  store: ReadOnlyTarget | undefined,
  tags: readonly string[],
  digest: string,
  signal: AbortSignal,
): Promise<MovedTag[]> {
  const moved: MovedTag[] = [];
  if (!store) return moved;
  for (const tag of tags) {
    if (!tag) continue;
    try {
      const before = (await store.resolve(tag, { signal })).digest;
      if (before !== digest) moved.push({ tag, before });
    } catch (err) {
      // Not there (or not readable): the push itself will say what is wrong with the store.
      if (signal.aborted) throw err;
    }
  }
  return moved;
}

/** The digest of the manifest's subject, for a referrer; undefined for one with none (or a subject not a digest). */
export function subjectOf(manifest: Manifest): string | undefined {
  const digest = (manifest as { subject?: { digest?: unknown } }).subject?.digest;
  return typeof digest === 'string' && isDigest(digest) ? digest : undefined;
}

/** The blobs `problems` (checkManifestForPush's) found missing: an error each (a missing subject is a warning). */
export function missingBlobs(problems: readonly Problem[], manifest: Manifest): MissingBlob[] {
  return problems
    .filter((p) => p.code === 'blob-missing' && p.severity === 'error' && p.path)
    .map((p) => {
      const site = p.path!.slice(0, -1);
      const value = site.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)?.[key], manifest);
      const digest = (value as { digest?: unknown })?.digest;
      return { digest: typeof digest === 'string' ? printable(digest) : undefined, field: formatPath(site) };
    });
}

/** "v1 now names sha256:…: the push moves it to this manifest." — said before the push. */
export function tagMoveWarning(moved: MovedTag, show: ShowDigest): string {
  return `${printable(moved.tag)} now names ${show(moved.before)}: the push moves it to this manifest.`;
}

/** "it named sha256:… before" — said of a tag once the push moved it. */
export function namedBefore(moved: MovedTag, show: ShowDigest): string {
  return `it named ${show(moved.before)} before`;
}

/** "sha256:… (layers[0]), sha256:… (config)" */
export function missingBlobList(missing: readonly MissingBlob[]): string {
  return missing.map((m) => `${m.digest ?? 'a blob'} (${m.field})`).join(', ');
}

/**
 * What to do about blobs `repository` (a registry's) lacks: push them first, or copy what they come from.
 * `blobPushCommand` is the command line that pushes one ("stowage blob push host/repo FILE"); `alsoBy` names
 * another way where there is one ("Push as Artifact… of its file").
 */
export function missingBlobAdvice(
  missing: readonly MissingBlob[],
  repository: string,
  blobPushCommand: string,
  alsoBy?: (several: boolean) => string,
): string {
  const several = missing.length > 1;
  const ways = [blobPushCommand, ...(alsoBy ? [alsoBy(several)] : [])].join(', or ');
  return `Push the missing ${several ? 'blobs' : 'blob'} to ${repository} first (${ways}), or copy the artifact ${several ? 'they come' : 'it comes'} from, then push the manifest again.`;
}

/**
 * A registry's refusal for a blob, said with the blobs the check found missing and what to do, short enough for a
 * notification (error messages are cut at 200 characters: the digests come first); else `err` as it is.
 */
export function refusalForMissingBlobs(err: unknown, missing: readonly MissingBlob[], repository: string): unknown {
  if (!refusedForABlob(err) || !missing.length) return err;
  const [blobs, those] = missing.length > 1 ? ['blobs', 'those blobs'] : ['blob', 'that blob'];
  return new OciError(
    'REGISTRY',
    `${repository} lacks ${blobs} ${missingBlobList(missing)}: push ${those} there first, then the manifest again.`,
    { cause: err },
  );
}
