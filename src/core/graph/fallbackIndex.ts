// Keeping a subject's fallback referrers index (the `sha256-<hex>` tag) current when a store has no referrers API:
// adding and removing entries against concurrent writers, retiring an emptied tag, and indexing a pushed referrer.
// Written once over Target, so a registry and a layout behave the same.
import {
  Annotation,
  cleanDescriptor,
  isDigest,
  type Descriptor,
  type ImageIndex,
  type Manifest,
  OciError,
  throwIfAborted,
  MediaType,
} from '../oci';
import {
  digestOf,
  isManifestReleaser,
  isReferrersLister,
  isReferrersLock,
  isUntagger,
  isWarner,
  createLimiter,
  sleep,
  type ReadOnlyTarget,
  type Target,
} from '../content';
import { fallbackTagOf, fetchFallbackIndex, readFallbackTag, referrerEntry } from './referrers';

/**
 * The fallback index for a writer: none when the tag is absent or only echoes the subject (GitLab); an error when
 * the tag names another manifest, which is somebody's tag that a referrers index must not overwrite.
 */
async function fetchFallback(
  target: ReadOnlyTarget,
  subjectDigest: string,
  signal?: AbortSignal,
): Promise<{ descriptor: Descriptor; index: ImageIndex } | undefined> {
  const fallback = await readFallbackTag(target, subjectDigest, signal);
  if (!fallback || fallback.namesSubject) return undefined;
  if (!fallback.index) {
    throw new OciError(
      'INVALID_CONTENT',
      `${target.location}: tag ${fallbackTagOf(subjectDigest)} should name a referrers index but names manifest ${fallback.descriptor.digest}; not overwriting it (move or delete that tag, or run "stowage referrers check")`,
    );
  }
  return { descriptor: fallback.descriptor, index: fallback.index };
}

const MAX_INDEX_ATTEMPTS = 10;
/** How long a writer without a lock waits before checking that its entry survived (plus jitter of the same). */
const SETTLE_MS = 150;

/**
 * Adds `entry` to the subject's fallback referrers index unless it is there. Concurrent writers race on the
 * tag, so the index is read back after writing and the update retried when this entry was lost.
 */
export function addToFallbackIndex(
  target: Target,
  subjectDigest: string,
  entry: Descriptor,
  signal?: AbortSignal,
): Promise<void> {
  return addAllToFallbackIndex(target, subjectDigest, [entry], signal);
}

/** addToFallbackIndex for several entries of one subject: one read, one write (and its read-back) for them all. */
export function addAllToFallbackIndex(
  target: Target,
  subjectDigest: string,
  entries: readonly Descriptor[],
  signal?: AbortSignal,
): Promise<void> {
  return serialised(target, subjectDigest, () =>
    underReferrersLock(target, () => addWithReadBack(target, subjectDigest, entries, signal), signal),
  );
}

/**
 * Adds those of `entries` that the subject's fallback index lacks, where the store keeps referrers by that tag:
 * always when `always` (fallbackTagAlways), else only where the store has no referrers API of its own. For
 * referrers found stored by a rerun: a run ended between storing them and listing them (killed, or before a batch
 * of a layout's index writes reached the file) left them there but unlisted, and nothing else would list them.
 */
export async function listIfMissing(
  target: Target,
  subjectDigest: string,
  entries: readonly Descriptor[],
  options: { always?: boolean; signal?: AbortSignal },
): Promise<void> {
  const { signal } = options;
  if (!entries.length) return;
  // The API indexes what it stores: nothing a run could leave unlisted (undefined: this registry has none).
  if (!options.always && isReferrersLister(target) && (await target.nativeReferrers(subjectDigest, { signal }))) return;
  const listed = await fetchFallbackIndex(target, subjectDigest, signal);
  const missing = entries.filter((entry) => !listed?.manifests.some((m) => m.digest === entry.digest));
  if (missing.length) await addAllToFallbackIndex(target, subjectDigest, missing, signal);
}

/** Runs `work` under the store's referrers lock when it has one (see ReferrersLock), else as it is. */
function underReferrersLock<T>(target: Target, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return isReferrersLock(target) ? target.withReferrersLock(work, { signal }) : work();
}

// Writers in this process that update one subject's index take turns: read-back alone cannot tell two
// writers apart when both read the old index before either wrote.
const queues = new WeakMap<Target, Map<string, Promise<unknown>>>();

function serialised<T>(target: Target, subjectDigest: string, work: () => Promise<T>): Promise<T> {
  let perTarget = queues.get(target);
  if (!perTarget) queues.set(target, (perTarget = new Map()));
  const previous = perTarget.get(subjectDigest) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  perTarget.set(subjectDigest, settled);
  void settled.then(() => {
    if (perTarget.get(subjectDigest) === settled) perTarget.delete(subjectDigest);
  });
  return next;
}

async function addWithReadBack(
  target: Target,
  subjectDigest: string,
  entries: readonly Descriptor[],
  signal?: AbortSignal,
): Promise<void> {
  let lastError: unknown;
  // Every entry this writer has seen in the index: merged into each write, so that a writer still verifying
  // also restores entries of writers that already finished and were overwritten by a slow one.
  const remembered = new Map<string, Descriptor>();
  for (let attempt = 1; attempt <= MAX_INDEX_ATTEMPTS; attempt++) {
    throwIfAborted(signal);
    try {
      if (await addOnce(target, subjectDigest, entries, remembered, signal)) return;
    } catch (err) {
      // distribution answers 500 now and then when one writer reads a tag while another rewrites it; both the
      // GET and the PUT of the same bytes are safe to repeat.
      if (!OciError.is(err, 'REGISTRY')) throw err;
      lastError = err;
    }
    await sleep(20 * attempt + Math.random() * 50 * attempt, signal);
  }
  throw new OciError(
    'CONFLICT',
    `${target.location}: could not record ${entries.length === 1 ? `referrer ${entries[0]!.digest}` : `${entries.length} referrers`} in tag ${fallbackTagOf(subjectDigest)} after ${MAX_INDEX_ATTEMPTS} attempts (concurrent writers)`,
    { cause: lastError },
  );
}

const MAX_VERIFY_ROUNDS = 6;

/**
 * One round: read, merge, write, then verify until the index is quiet. True when the entries are in the index
 * and the index did not change for a settle period; false when one was lost (merge again).
 */
async function addOnce(
  target: Target,
  subjectDigest: string,
  entries: readonly Descriptor[],
  remembered: Map<string, Descriptor>,
  signal?: AbortSignal,
): Promise<boolean> {
  const started = Date.now();
  const before = await fetchFallback(target, subjectDigest, signal);
  let current = before?.index;
  for (const d of current?.manifests ?? []) remembered.set(d.digest, d);
  const lacking = (index: ImageIndex | undefined) =>
    entries.filter((entry) => !index?.manifests.some((d) => d.digest === entry.digest));
  const has = (index: ImageIndex | undefined) => lacking(index).length === 0;
  const missing = [...remembered.values()].filter((d) => !current?.manifests.some((m) => m.digest === d.digest));
  const added = lacking(current).filter((entry) => !remembered.has(entry.digest));
  if (!has(current) || missing.length) {
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [...(current?.manifests ?? []), ...missing, ...added.map(cleanDescriptor)],
    };
    const bytes = Buffer.from(JSON.stringify(index));
    await target.pushManifest({ mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length }, bytes, {
      tag: fallbackTagOf(subjectDigest),
      signal,
    });
    current = await fetchFallbackIndex(target, subjectDigest, signal);
    if (!has(current)) return false;
    await releaseSuperseded(target, subjectDigest, before, digestOf(bytes), started, signal);
  }
  // With a lock nobody else writes in between. Without one, a writer that read the index before our write can
  // still overwrite it: wait (longer when the store is slow) and accept only an index that stopped changing.
  if (isReferrersLock(target)) return true;
  const settleMs = Math.min(3000, Math.max(SETTLE_MS, 3 * (Date.now() - started)));
  for (let round = 0; round < MAX_VERIFY_ROUNDS; round++) {
    await sleep(settleMs + Math.random() * settleMs, signal);
    const later = await fetchFallbackIndex(target, subjectDigest, signal);
    for (const d of later?.manifests ?? []) remembered.set(d.digest, d);
    if (!has(later) || [...remembered.keys()].some((k) => !later?.manifests.some((m) => m.digest === k))) return false;
    if (sameEntries(later, current)) return true;
    current = later;
  }
  return true;
}

function sameEntries(a: ImageIndex | undefined, b: ImageIndex | undefined): boolean {
  return JSON.stringify(a?.manifests.map((d) => d.digest)) === JSON.stringify(b?.manifests.map((d) => d.digest));
}

/**
 * Removes a referrer from its subject's fallback index (after the referrer itself was deleted). An index left
 * empty is removed with its tag: an empty index says nothing, and the tag would show as a dangling referrer tag.
 */
export function removeFromFallbackIndex(
  target: Target,
  subjectDigest: string,
  referrerDigest: string,
  signal?: AbortSignal,
): Promise<void> {
  const work = () => removeEntry(target, subjectDigest, referrerDigest, signal);
  return serialised(target, subjectDigest, () => underReferrersLock(target, work, signal));
}

async function removeEntry(
  target: Target,
  subjectDigest: string,
  referrerDigest: string,
  signal?: AbortSignal,
): Promise<void> {
  const tag = fallbackTagOf(subjectDigest);
  const started = Date.now();
  const current = await fetchFallback(target, subjectDigest, signal);
  if (!current?.index.manifests.some((d) => d.digest === referrerDigest)) return;
  const manifests = current.index.manifests.filter((d) => d.digest !== referrerDigest);
  if (manifests.length === 0 && (await dropIndex(target, tag, current.descriptor, signal))) {
    // An untagger dropped the tag alone; elsewhere the index went with it.
    if (isUntagger(target))
      await releaseSuperseded(target, subjectDigest, current, '', started, signal, referrerDigest);
    return;
  }
  const bytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests } satisfies ImageIndex),
  );
  await target.pushManifest({ mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length }, bytes, {
    tag,
    signal,
  });
  await releaseSuperseded(target, subjectDigest, current, digestOf(bytes), started, signal, referrerDigest);
}

/**
 * Drops the index `tag` named before `written` replaced it (oras-go does so too, unless told to skip): only once the
 * tag has moved, so a crash before this step leaves garbage, never a tag without its index. The write succeeded
 * either way, so a failure here is not the caller's: the user hears of it where the store's warnings go. `removed`:
 * the referrer this update took out of the index, deleted already by the caller as a referrer of this subject.
 */
async function releaseSuperseded(
  target: Target,
  subjectDigest: string,
  superseded: { descriptor: Descriptor; index: ImageIndex } | undefined,
  written: string,
  started: number,
  signal?: AbortSignal,
  removed?: string,
): Promise<void> {
  const tag = fallbackTagOf(subjectDigest);
  const old = superseded?.descriptor;
  // The same bytes written again are the same manifest: the tag names it still.
  if (!old || old.digest === written) return;
  try {
    if (isManifestReleaser(target)) await target.releaseManifest(old, { signal, untouchedSince: started });
    else if (await onlyReferrersOf(target, subjectDigest, superseded.index, removed, signal))
      await deleteSuperseded(target, tag, old, signal);
  } catch (err) {
    if ((err as Error).name === 'AbortError' || signal?.aborted) throw err;
    if (DELETE_REFUSALS.some((code) => OciError.is(err, code))) refusesDeletes.add(target);
    if (isWarner(target))
      target.warn(
        `${target.location}: the referrers index ${old.digest} that tag ${tag} named before this update stays behind as an untagged manifest (${(err as Error).message})${refusesDeletes.has(target) ? '; other superseded indexes of this run stay too' : ''}`,
      );
  }
}

/**
 * Whether `index` is this subject's referrers index and nobody else's, so that deleting it by digest takes nothing
 * else along: anyone who can push can point the fallback tag at somebody's index (a multi-platform image, another
 * subject's referrers index), and the empty index's bytes are the same for every subject whose tag was emptied.
 * So it must list something, and every entry must name a manifest (read, verified) whose subject is this one.
 */
async function onlyReferrersOf(
  target: Target,
  subjectDigest: string,
  index: ImageIndex,
  removed: string | undefined,
  signal?: AbortSignal,
): Promise<boolean> {
  if (refusesDeletes.has(target) || index.manifests.length === 0) return false;
  const limit = createLimiter(ENTRY_READS_AT_ONCE);
  let foreign = false;
  // Each manifest read once, however often a hostile index lists it; an entry naming no digest names nothing of ours.
  const entries = new Map(index.manifests.map((entry) => [entry.digest, entry]));
  await Promise.all(
    [...entries].map(([digest, entry]) =>
      limit(async () => {
        if (foreign || digest === removed) return;
        if (typeof digest !== 'string' || !isDigest(digest)) {
          foreign = true;
          return;
        }
        const namesThisSubject = readFor(target, subjectDigest).get(digest);
        if (namesThisSubject !== undefined) {
          if (!namesThisSubject) foreign = true;
          return;
        }
        // An entry whose manifest is gone proves nothing: the index stays (garbage at worst, never a loss).
        const fetched = await target.fetchManifest(entry, { signal }).catch((err: unknown) => {
          if (OciError.is(err, 'NOT_FOUND')) return undefined;
          throw err;
        });
        if (fetched) remember(target, subjectDigest, digest, fetched.manifest.subject?.digest === subjectDigest);
        if (fetched?.manifest.subject?.digest !== subjectDigest) foreign = true;
      }),
    ),
  );
  return !foreign;
}

const ENTRY_READS_AT_ONCE = 4;

/**
 * Whether each manifest read above names the subject it was read for, per store and subject, by digest: bytes read
 * by digest are verified and never change, so a copy attaching many referrers to one subject reads each listed entry
 * once, not once per attach (N referrers cost N reads instead of N²/2). Only the subjects attached to last are kept:
 * a copy of many tags attaches to a subject while it copies its tag (a few tags at once), and keeping every entry
 * read held 10,000 digest pairs (about 2 MB) through a backup of 10,000 signed tags for nothing. And no more than
 * ENTRIES_REMEMBERED entries in all: a fallback index is up to 4 MiB (some 27,000 entries), and 16 subjects with
 * that many referrers each (anyone who can push can attach them) held about 60 MiB.
 */
const subjectsRead = new WeakMap<Target, { subjects: Map<string, Map<string, boolean>>; entries: number }>();
const SUBJECTS_REMEMBERED = 16;
export const ENTRIES_REMEMBERED = 10_000;

/** The entries read for `subject` at `target`, which becomes its most recent subject (the oldest is forgotten). */
function readFor(target: Target, subject: string): Map<string, boolean> {
  let memory = subjectsRead.get(target);
  if (!memory) subjectsRead.set(target, (memory = { subjects: new Map(), entries: 0 }));
  const entries = memory.subjects.get(subject) ?? new Map<string, boolean>();
  memory.subjects.delete(subject);
  memory.subjects.set(subject, entries);
  if (memory.subjects.size > SUBJECTS_REMEMBERED) forgetOldest(memory);
  return entries;
}

/**
 * Remembers whether the manifest `digest` names `subject`, the oldest subjects forgotten to make room; past the bound
 * with this subject alone, it is not remembered (read again when the index is superseded next: a request, no more).
 */
function remember(target: Target, subject: string, digest: string, namesSubject: boolean): void {
  const entries = readFor(target, subject);
  const memory = subjectsRead.get(target)!;
  if (entries.has(digest)) return;
  // The subject just read is the most recent: the oldest go first, and it last of all (never here).
  while (memory.entries >= ENTRIES_REMEMBERED && memory.subjects.size > 1) forgetOldest(memory);
  if (memory.entries >= ENTRIES_REMEMBERED) return;
  entries.set(digest, namesSubject);
  memory.entries++;
}

function forgetOldest(memory: { subjects: Map<string, Map<string, boolean>>; entries: number }): void {
  const [oldest, entries] = memory.subjects.entries().next().value!;
  memory.subjects.delete(oldest);
  memory.entries -= entries.size;
}

/**
 * Stores that refused a delete (deletes disabled, or not for these credentials): not asked again in this process,
 * and so warned about once, however many indexes a copy supersedes.
 */
const refusesDeletes = new WeakSet<Target>();
const DELETE_REFUSALS = ['UNSUPPORTED', 'DENIED', 'UNAUTHORIZED'] as const;

/**
 * Deletes a superseded index where the store keeps what nothing names (a registry). A registry deletes by digest
 * and takes every tag naming it along: so not when the tag names this digest again (another writer wrote the very
 * same index back since). The tag is read just before the delete; a writer moving it between the two is caught by
 * the add's read-back (its entries are written again).
 */
async function deleteSuperseded(target: Target, tag: string, old: Descriptor, signal?: AbortSignal): Promise<void> {
  if (refusesDeletes.has(target)) return;
  const now = await target.resolve(tag, { signal }).catch((err: unknown) => {
    if (OciError.is(err, 'NOT_FOUND')) return undefined;
    throw err;
  });
  if (now?.digest === old.digest) return;
  await target.deleteManifest(old, { signal }).catch((err: unknown) => {
    if (!OciError.is(err, 'NOT_FOUND')) throw err; // another writer deleted it first
  });
}

/**
 * Removes the fallback tag and the index it names; false when the store cannot delete (the caller then writes an
 * empty index). On a registry the index goes by digest, which only this tag names: its one entry is a referrer
 * of this subject alone. If another writer moved the tag meanwhile, the tag (and its new index) stays.
 */
export async function dropIndex(
  target: Target,
  tag: string,
  index: Descriptor,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    if (isUntagger(target)) await target.untag(tag, { signal });
    else await target.deleteManifest(index, { signal });
    return true;
  } catch (err) {
    if (OciError.is(err, 'NOT_FOUND')) return true;
    if (OciError.is(err, 'UNSUPPORTED')) return false;
    throw err;
  }
}

/**
 * Removes the fallback tag of a deleted subject whose index still lists manifests that were not deleted with it
 * (they are not its referrers), by retireTag. A tag naming a manifest that is no index is somebody's: it stays.
 */
export function retireFallbackTag(target: Target, subjectDigest: string, signal?: AbortSignal): Promise<boolean> {
  const work = async (): Promise<boolean> => {
    const fallback = await readFallbackTag(target, subjectDigest, signal);
    if (!fallback?.index) return true;
    return retireTag(target, fallbackTagOf(subjectDigest), signal);
  };
  return serialised(target, subjectDigest, () => underReferrersLock(target, work, signal));
}

/**
 * Removes `tag` without deleting what it names: anyone who can push can point a referrer tag (fallback or cosign)
 * at anybody's manifest, and a registry deletes by digest, which takes every tag of it along. On a store without
 * untag the tag is first moved to an empty index that names the tag in an annotation (its digest is this tag's
 * alone), and that index is deleted. False when the store cannot delete (the tag then names that empty index,
 * which lists nothing).
 */
export async function retireTag(target: Target, tag: string, signal?: AbortSignal): Promise<boolean> {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [],
      annotations: { [Annotation.refName]: tag },
    } satisfies ImageIndex),
  );
  const placeholder = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
  if (!isUntagger(target)) await target.pushManifest(placeholder, bytes, { tag, signal });
  return dropIndex(target, tag, placeholder, signal); // an untagger drops the tag alone
}

/**
 * Replaces the subject's fallback index with exactly `entries` (the repair's rebuilt index), taking turns with
 * other writers in this process and under the store's lock where it has one.
 */
export function writeFallbackIndex(
  target: Target,
  subjectDigest: string,
  entries: readonly Descriptor[],
  signal?: AbortSignal,
): Promise<Descriptor> {
  return serialised(target, subjectDigest, () =>
    underReferrersLock(
      target,
      async () => {
        const started = Date.now();
        const before = await readFallbackTag(target, subjectDigest, signal).catch(() => undefined);
        const index: ImageIndex = {
          schemaVersion: 2,
          mediaType: MediaType.ociIndex,
          manifests: entries.map(cleanDescriptor),
        };
        const bytes = Buffer.from(JSON.stringify(index));
        const descriptor = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
        await target.pushManifest(descriptor, bytes, { tag: fallbackTagOf(subjectDigest), signal });
        if (before?.index)
          await releaseSuperseded(
            target,
            subjectDigest,
            { descriptor: before.descriptor, index: before.index },
            descriptor.digest,
            started,
            signal,
          );
        return descriptor;
      },
      signal,
    ),
  );
}

/** Makes a pushed referrer findable: nothing to do where the store indexed the subject itself. */
export async function indexReferrer(
  target: Target,
  descriptor: Descriptor,
  manifest: Manifest,
  subjectIndexed: boolean,
  signal?: AbortSignal,
): Promise<void> {
  if (!manifest.subject || subjectIndexed) return;
  await addToFallbackIndex(target, manifest.subject.digest, referrerEntry(descriptor, manifest), signal);
}
