// What Push Manifest… says beyond its checks: a tag the push moves (the digest it leaves), the subject a referrer is
// pushed for, and for blobs the destination lacks, which ones and what to do (a registry refuses the manifest, and
// its own words, cut in a notification, named neither the manifest's field nor a way on).
import type { ReadOnlyTarget } from '../../core/content';
import { refusedForABlob } from '../../core/graph';
import { formatPath, type Problem } from '../../core/lint';
import { isDigest, OciError, printable, type Manifest, type StoreRef } from '../../core/oci';
import { shownReference } from '../shownReference';
import { shownDigest } from './doneWithReference';

/** The digest `tag` names in the destination now; undefined when it names none (or the store cannot say). */
export async function digestTagged(
  store: ReadOnlyTarget | undefined,
  tag: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (!store || !tag) return undefined;
  try {
    return (await store.resolve(tag, { signal })).digest;
  } catch (err) {
    // Not there (or not readable): the push itself will say what is wrong with the store.
    if (signal.aborted) throw err;
    return undefined;
  }
}

/** "v1 now names sha256:…: the push moves it to this manifest." when the tag names another manifest. */
export function tagMoveLine(tag: string, before: string | undefined, digest: string): string | undefined {
  return before && before !== digest
    ? `${printable(tag)} now names ${shownDigest(before)}: the push moves it to this manifest.`
    : undefined;
}

/** ", a referrer of sha256:…" for a manifest with a subject. */
export function subjectNote(manifest: Manifest): string {
  const digest = (manifest as { subject?: { digest?: unknown } }).subject?.digest;
  return typeof digest === 'string' && isDigest(digest) ? `, a referrer of ${shownDigest(digest)}` : '';
}

/** The blobs the check found missing: "sha256:… (layers[0])". */
function missingBlobs(errors: readonly Problem[], manifest: Manifest): string[] {
  return errors
    .filter((p) => p.code === 'blob-missing' && p.path)
    .map((p) => {
      const site = p.path!.slice(0, -1);
      const value = site.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)?.[key], manifest);
      const digest = (value as { digest?: unknown })?.digest;
      return `${typeof digest === 'string' ? printable(digest) : 'a blob'} (${formatPath(site)})`;
    });
}

/** What to do about blobs a registry lacks; undefined when none is missing or the destination is a layout. */
export function missingBlobAdvice(errors: readonly Problem[], destination: StoreRef): string | undefined {
  if (destination.kind !== 'registry' || !errors.some((p) => p.code === 'blob-missing')) return undefined;
  const several = errors.filter((p) => p.code === 'blob-missing').length > 1;
  const repository = shownReference(destination);
  return `Push the missing ${several ? 'blobs' : 'blob'} to ${repository} first (stowage blob push ${repository} FILE, or Push as Artifact… of ${several ? 'their files' : 'its file'}), or copy the artifact ${several ? 'they come' : 'it comes'} from, then push the manifest again.`;
}

/**
 * A registry's refusal for a blob, said with the blobs the check found missing and what to do, short enough for a
 * notification (error messages are cut at 200 characters: the digests come first); else `err` as it is.
 */
export function refusalForMissingBlobs(
  err: unknown,
  errors: readonly Problem[],
  manifest: Manifest,
  destination: StoreRef,
): unknown {
  const missing = missingBlobs(errors, manifest);
  if (!refusedForABlob(err) || !missing.length || destination.kind !== 'registry') return err;
  const [blobs, those] = missing.length > 1 ? ['blobs', 'those blobs'] : ['blob', 'that blob'];
  return new OciError(
    'REGISTRY',
    `${shownReference(destination)} lacks ${blobs} ${missing.join(', ')}: push ${those} there first, then the manifest again.`,
    { cause: err },
  );
}
