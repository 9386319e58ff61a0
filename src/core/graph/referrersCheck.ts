// The referrers doctor: what is wrong with the referrers of a subject, or of every subject in a repository, as
// old tools left them (cosign#5098, cosign#4641): fallback index entries naming deleted manifests, entries
// without artifactType or annotations, duplicates, referrers the fallback index lost (found by scanning the
// repository's tagged manifests for a `subject`), referrers the API and the fallback index disagree on, and
// fallback or cosign tags whose subject is gone. It only reads; referrersRepair.ts plans and makes the fixes.
import { counted, type Descriptor, descriptorProblem, isDigest, type Manifest, OciError, throwIfAborted } from '../oci';
import { createLimiter, isReferrersLister, type ReadOnlyTarget, type Target } from '../content';
import { COSIGN_TAG_TYPES, fallbackTagOf, readFallbackTag, referrerEntry } from './referrers';
import { subjectMismatch } from './referrerSubject';

export type ReferrersProblemKind =
  /** The fallback index lists a manifest that is not in the repository. */
  | 'dangling-entry'
  /** The fallback index lists a digest twice. */
  | 'duplicate-entry'
  /** An entry lacks the artifactType or annotations its manifest has (cosign#4641). */
  | 'incomplete-entry'
  /** An entry's manifest does not name this subject. */
  | 'wrong-subject'
  /** A referrer (found by the scan or the API) that the fallback index lacks, on a registry without the API. */
  | 'missing-from-fallback'
  /** A referrer in the fallback index that the referrers API does not list (migrate it with --to-api). */
  | 'missing-from-api'
  /** The fallback tag names something other than an index (and not the subject itself). */
  | 'fallback-not-index'
  /** A fallback tag whose subject is gone. */
  | 'orphaned-fallback-tag'
  /** A cosign `.sig/.att/.sbom` tag whose subject is gone. */
  | 'orphaned-cosign-tag';

export interface ReferrersProblem {
  kind: ReferrersProblemKind;
  /** The subject digest the problem is about. */
  subject: string;
  /** The referrer (or tag's manifest) concerned. */
  digest?: string;
  tag?: string;
  /** One sentence for people. */
  message: string;
}

/** What the check learnt about one subject; the repair plan is made from it. */
export interface SubjectReferrers {
  subject: string;
  subjectExists: boolean;
  fallbackTag: string;
  /** The digest of the index the fallback tag names, when it names one. */
  fallbackIndexDigest?: string;
  /** The fallback index entries as stored. */
  fallbackEntries: Descriptor[];
  /** What the API listed (undefined: no API). */
  apiEntries?: Descriptor[];
  /** Referrers that exist, each as its index entry should read (artifactType and annotations from its manifest). */
  referrers: Descriptor[];
}

export interface ReferrersReport {
  location: string;
  /** The registry answers the referrers API. */
  referrersApi: boolean;
  subjects: SubjectReferrers[];
  problems: ReferrersProblem[];
  /** Cosign tags whose subject is gone, with the digest they name. */
  orphanedCosignTags: { tag: string; digest: string; subject: string }[];
  /**
   * Referrers (tagged, or listed by the API) whose subject is gone and that no fallback index lists: no problem of
   * the referrers' bookkeeping, and nothing repair may delete (a tag of the user's may name it), but worth knowing.
   */
  orphanedReferrers: { digest: string; subject: string; tag?: string }[];
  scan: { tags: number; manifestsRead: number; truncated: boolean; durationMs: number };
}

export interface CheckReferrersOptions {
  /** Check this subject only (a digest); default every subject in the repository. */
  subject?: string;
  /** Read at most this many tagged manifests when scanning for lost referrers (default 2000). */
  maxScan?: number;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_SCAN = 2000;
const READS_AT_ONCE = 8;
const FALLBACK_TAG = /^(sha256|sha512)-([a-f0-9]{64}|[a-f0-9]{128})$/;
const COSIGN_TAG = /^(sha256|sha512)-([a-f0-9]{64}|[a-f0-9]{128})\.(sig|att|sbom)$/;

export async function checkReferrers(target: Target, options: CheckReferrersOptions = {}): Promise<ReferrersReport> {
  const started = Date.now();
  const { signal } = options;
  const maxScan = options.maxScan ?? DEFAULT_MAX_SCAN;
  const tags: string[] = [];
  for await (const page of target.listTags({ signal })) tags.push(...page);
  const limit = createLimiter(READS_AT_ONCE);

  // The scan: tagged manifests (not referrer tags) that name a subject. Referrers are usually untagged, so this
  // finds only the tagged ones; it is what a registry without the API offers.
  const scanTags = tags.filter((t) => !FALLBACK_TAG.test(t) && !COSIGN_TAG.test(t)).sort();
  const scanned = scanTags.slice(0, maxScan);
  const bySubject = new Map<string, Map<string, Descriptor>>();
  /** The first tag (in order) the scan found each referrer under. */
  const scannedTags = new Map<string, string>();
  const manifests = new Map<string, Manifest | null>();
  await Promise.all(
    scanned.map((tag) =>
      limit(async () => {
        throwIfAborted(signal);
        const fetched = await fetchOrNull(target, tag, signal);
        if (!fetched) return;
        manifests.set(fetched.descriptor.digest, fetched.manifest);
        const subject: unknown = fetched.manifest.subject?.digest;
        // A subject that is no digest names nothing that can exist, nor a fallback tag: looking it up would fail
        // the whole check (a registry refuses such a name), for one manifest anyone who can push may tag.
        if (typeof subject !== 'string' || !isDigest(subject)) return;
        if (!bySubject.has(subject)) bySubject.set(subject, new Map());
        bySubject.get(subject)!.set(fetched.descriptor.digest, referrerEntry(fetched.descriptor, fetched.manifest));
        const known = scannedTags.get(fetched.descriptor.digest);
        if (known === undefined || tag < known) scannedTags.set(fetched.descriptor.digest, tag);
      }),
    ),
  );

  const subjects = new Set<string>();
  if (options.subject) subjects.add(options.subject);
  else {
    for (const tag of tags) {
      const m = FALLBACK_TAG.exec(tag);
      if (m) subjects.add(`${m[1]}:${m[2]}`);
    }
    for (const subject of bySubject.keys()) subjects.add(subject);
  }

  const referrersApi = isReferrersLister(target)
    ? (await target.nativeReferrers(`sha256:${'0'.repeat(64)}`, { signal })) !== undefined
    : false;
  const report: ReferrersReport = {
    location: target.location,
    referrersApi,
    subjects: [],
    problems: [],
    orphanedCosignTags: [],
    orphanedReferrers: [],
    scan: { tags: tags.length, manifestsRead: scanned.length, truncated: scanTags.length > maxScan, durationMs: 0 },
  };
  const read = (descriptor: Descriptor) =>
    limit(async () => {
      if (!manifests.has(descriptor.digest))
        manifests.set(descriptor.digest, (await fetchOrNull(target, descriptor, signal))?.manifest ?? null);
      return manifests.get(descriptor.digest) ?? undefined;
    });

  for (const subject of [...subjects].sort()) {
    throwIfAborted(signal);
    const checked = await checkSubject(
      target,
      subject,
      bySubject.get(subject),
      referrersApi,
      read,
      report.problems,
      signal,
    );
    report.subjects.push(checked);
    if (!checked.subjectExists) {
      const listed = new Set(checked.fallbackEntries.map((d) => d.digest));
      for (const { digest } of checked.referrers.filter((r) => !listed.has(r.digest))) {
        const tag = scannedTags.get(digest);
        report.orphanedReferrers.push({ digest, subject, ...(tag !== undefined ? { tag } : {}) });
      }
    }
  }

  for (const tag of tags.filter((t) => COSIGN_TAG.test(t))) {
    const m = COSIGN_TAG.exec(tag)!;
    const subject = `${m[1]}:${m[2]}`;
    if (options.subject && subject !== options.subject) continue;
    if (await existsManifest(target, subject, signal)) continue;
    const named = await fetchOrNull(target, tag, signal);
    if (!named) continue;
    report.orphanedCosignTags.push({ tag, digest: named.descriptor.digest, subject });
    report.problems.push({
      kind: 'orphaned-cosign-tag',
      subject,
      tag,
      digest: named.descriptor.digest,
      message: `cosign tag ${tag} (${COSIGN_TAG_TYPES[m[3]!] ?? m[3]}) names a signature of ${subject}, which is gone`,
    });
  }
  report.scan.durationMs = Date.now() - started;
  return report;
}

async function checkSubject(
  target: Target,
  subject: string,
  scanned: Map<string, Descriptor> | undefined,
  referrersApi: boolean,
  read: (d: Descriptor) => Promise<Manifest | undefined>,
  problems: ReferrersProblem[],
  signal?: AbortSignal,
): Promise<SubjectReferrers> {
  const tag = fallbackTagOf(subject);
  const subjectExists = await existsManifest(target, subject, signal);
  const fallback = await readFallbackTag(target, subject, signal);
  const apiEntries =
    referrersApi && isReferrersLister(target) ? await target.nativeReferrers(subject, { signal }) : undefined;
  const result: SubjectReferrers = {
    subject,
    subjectExists,
    fallbackTag: tag,
    fallbackEntries: fallback?.index?.manifests ?? [],
    ...(apiEntries ? { apiEntries } : {}),
    ...(fallback?.index ? { fallbackIndexDigest: fallback.descriptor.digest } : {}),
    referrers: [],
  };
  const problem = (p: Omit<ReferrersProblem, 'subject'>) => problems.push({ subject, ...p });

  if (fallback && !fallback.index && !fallback.namesSubject)
    problem({
      kind: 'fallback-not-index',
      tag,
      digest: fallback.descriptor.digest,
      message: `tag ${tag} should name a referrers index but names manifest ${fallback.descriptor.digest}`,
    });
  if (fallback?.index && !subjectExists)
    problem({
      kind: 'orphaned-fallback-tag',
      tag,
      digest: fallback.descriptor.digest,
      message: `fallback tag ${tag} lists ${counted(result.fallbackEntries.length, 'referrer')} of ${subject}, which is gone; ${result.fallbackEntries.length === 1 ? 'that referrer stays' : 'those referrers stay'} in the repository without it (pruning removes the tag, not them)`,
    });

  const referrers = new Map<string, Descriptor>();
  const seen = new Set<string>();
  for (const entry of result.fallbackEntries) {
    const invalid = descriptorProblem(entry);
    if (invalid) {
      // Nothing to fetch by it: dropped like an entry whose manifest is gone.
      problem({
        kind: 'dangling-entry',
        tag,
        digest: String(entry.digest),
        message: `${tag} lists an entry that ${invalid}`,
      });
      continue;
    }
    if (seen.has(entry.digest)) {
      problem({ kind: 'duplicate-entry', tag, digest: entry.digest, message: `${tag} lists ${entry.digest} twice` });
      continue;
    }
    seen.add(entry.digest);
    const manifest = await read(entry);
    if (!manifest) {
      problem({
        kind: 'dangling-entry',
        tag,
        digest: entry.digest,
        message: `${tag} lists ${entry.digest}, which is not in the repository`,
      });
      continue;
    }
    const mismatch = subjectMismatch(manifest, subject);
    if (mismatch) {
      problem({
        kind: 'wrong-subject',
        tag,
        digest: entry.digest,
        message: `${tag} lists ${entry.digest}, whose manifest ${mismatch.named ? `refers to ${mismatch.named}` : 'names no subject'}`,
      });
      continue;
    }
    const expected = referrerEntry(entry, manifest);
    if (!sameEntry(entry, expected))
      problem({
        kind: 'incomplete-entry',
        tag,
        digest: entry.digest,
        message: `${tag}: the entry of ${entry.digest} lacks ${!entry.artifactType && expected.artifactType ? 'its artifactType' : 'annotations'} its manifest has`,
      });
    referrers.set(entry.digest, expected);
  }

  const inFallback = new Set(referrers.keys());
  const inApi = new Set((apiEntries ?? []).map((d) => d.digest));
  for (const entry of apiEntries ?? []) {
    if (referrers.has(entry.digest)) continue;
    const manifest = await read(entry);
    if (manifest) referrers.set(entry.digest, referrerEntry(entry, manifest));
  }
  for (const [digest, entry] of scanned ?? []) if (!referrers.has(digest)) referrers.set(digest, entry);

  // Without its subject, a referrer is in no index to be missing from: the caller notes it as orphaned.
  for (const [digest] of subjectExists ? referrers : []) {
    if (apiEntries) {
      if (!inApi.has(digest))
        problem({
          kind: 'missing-from-api',
          digest,
          message: `${digest} refers to ${subject} but the referrers API does not list it${inFallback.has(digest) ? ' (only the fallback index does)' : ''}`,
        });
    } else if (!inFallback.has(digest)) {
      problem({
        kind: 'missing-from-fallback',
        tag,
        digest,
        message: `${digest} refers to ${subject} but ${fallback?.index ? `${tag} does not list it` : `there is no fallback index ${tag}`}`,
      });
    }
  }
  result.referrers = [...referrers.values()];
  return result;
}

function sameEntry(stored: Descriptor, expected: Descriptor): boolean {
  return (
    stored.artifactType === expected.artifactType &&
    JSON.stringify(sortedEntries(stored.annotations)) === JSON.stringify(sortedEntries(expected.annotations))
  );
}

function sortedEntries(annotations: Record<string, string> | undefined): [string, string][] {
  return Object.entries(annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function fetchOrNull(target: ReadOnlyTarget, ref: string | Descriptor, signal?: AbortSignal) {
  try {
    return await target.fetchManifest(ref, { signal });
  } catch (err) {
    if (OciError.is(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
}

async function existsManifest(target: ReadOnlyTarget, digest: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await target.resolve(digest, { signal });
    return true;
  } catch (err) {
    if (OciError.is(err, 'NOT_FOUND')) return false;
    throw err;
  }
}
