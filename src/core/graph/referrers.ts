// Referrers: listing them from every place they are kept (referrers API, fallback tag, cosign tags), and reading
// the fallback tag; fallbackIndex.ts keeps that index current when a store has no API. Written once over Target, so
// a registry and a layout behave the same.
import {
  artifactTypeOf,
  cleanDescriptor,
  descriptorProblem,
  isIndex,
  type Descriptor,
  type ImageIndex,
  type Manifest,
  OciError,
} from '../oci';
import { createLimiter, isReferrersLister, type ReadOnlyTarget } from '../content';

export type ReferrerSource = 'api' | 'fallback-tag' | 'cosign-tag';

export interface Referrer {
  /** The referrer manifest's descriptor, with `artifactType` and annotations as the index entry carries them. */
  descriptor: Descriptor;
  source: ReferrerSource;
  /** For cosign tags: the tag that names it. */
  tag?: string;
}

/** cosign's legacy tag suffixes and the artifact types Stowage shows for them. */
export const COSIGN_TAG_TYPES: Readonly<Record<string, string>> = {
  sig: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  att: 'application/vnd.dev.cosign.artifact.att.v1+json',
  sbom: 'application/vnd.dev.cosign.artifact.sbom.v1+json',
};

/** `sha256:abc…` → `sha256-abc…`, the tag under which the referrers index of a subject is kept. */
export function fallbackTagOf(digest: string): string {
  return digest.replace(':', '-');
}

export { isReferrerTag } from '../oci';

/** The entry that stands for a referrer manifest in a referrers index. */
export function referrerEntry(descriptor: Descriptor, manifest: Manifest): Descriptor {
  const entry: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  const artifactType = artifactTypeOf(manifest);
  if (artifactType) entry.artifactType = artifactType;
  if (manifest.annotations && Object.keys(manifest.annotations).length) entry.annotations = { ...manifest.annotations };
  return entry;
}

export interface ListReferrersOptions {
  artifactType?: string;
  /** Only referrers of these types (any of them); asked of the API where it filters, filtered here either way. */
  artifactTypes?: readonly string[];
  /** Also look for cosign's `sha256-<hex>.sig/.att/.sbom` tags (default true). */
  cosignTags?: boolean;
  /**
   * Every tag of the target, as a listing read to its end gave them: a fallback or cosign tag not among them is not
   * there, and is not asked about (a repository copy reads the list anyway; a GET and three HEADs a subject saved).
   * Leave it out when the list was not read whole: then each of those tags is asked for.
   */
  tagsListed?: TagNames;
  /**
   * One place only, as ORAS's `--distribution-spec` asks: the referrers API, or the fallback tag (and no cosign
   * tags). Default: every place.
   */
  only?: Extract<ReferrerSource, 'api' | 'fallback-tag'>;
  /**
   * Leave an entry that names no artifact type as it is (the type filter keeps it) instead of reading its manifest:
   * for a caller that reads only as many as it can show (the referrer graph), through `completeArtifactTypes`.
   */
  deferTypes?: boolean;
  signal?: AbortSignal;
}

/** How many referrer manifests are read at once to learn an artifact type their entry left out. */
const TYPE_LOOKUPS_AT_ONCE = 4;

/**
 * Every referrer of a subject, from every place they are kept, merged: the referrers API (where the store has
 * one), the fallback tag (always: registries that gained the API keep what older clients wrote there, and some
 * with the API still get fallback writes, see OCI-NOTES.md) and cosign's tags. Each digest appears once (zot lists
 * some twice), its entry completed from the other places; an entry without `artifactType` (cosign writes them)
 * gets it from its manifest, so that the type filter, applied here whether or not the API did, sees it.
 */
export async function listReferrers(
  target: ReadOnlyTarget,
  subjectDigest: string,
  options: ListReferrersOptions = {},
): Promise<Referrer[]> {
  const { signal } = options;
  const types = [
    ...new Set([...(options.artifactType ? [options.artifactType] : []), ...(options.artifactTypes ?? [])]),
  ];
  const { only } = options;
  const found: Referrer[] = [];
  // An entry that is no descriptor (a digest that is none, a size that is no byte count) names nothing to show or
  // fetch; the referrers doctor reports it.
  if (only !== 'fallback-tag')
    for (const descriptor of (await nativeListing(target, subjectDigest, types, signal)) ?? [])
      if (!descriptorProblem(descriptor)) found.push({ descriptor, source: 'api' });
  if (only !== 'api' && mayBeTagged(options.tagsListed, fallbackTagOf(subjectDigest))) {
    const index = await fetchFallbackIndex(target, subjectDigest, signal);
    for (const descriptor of index?.manifests ?? [])
      if (!descriptorProblem(descriptor)) found.push({ descriptor, source: 'fallback-tag' });
  }
  if (!only && (options.cosignTags ?? true))
    found.push(...(await listCosignTags(target, subjectDigest, options.tagsListed, signal)));

  const merged = mergeByDigest(found);
  if (options.deferTypes)
    return merged.filter(
      (r) => !types.length || !r.descriptor.artifactType || types.includes(r.descriptor.artifactType),
    );
  return completeArtifactTypes(merged, types, artifactTypeReader(target, signal));
}

/** Reads the artifact type of a listed manifest, each digest once (undefined: it names none, or is not there). */
export type ArtifactTypeReader = (descriptor: Descriptor) => Promise<string | undefined>;

export function artifactTypeReader(target: ReadOnlyTarget, signal?: AbortSignal): ArtifactTypeReader {
  const limit = createLimiter(TYPE_LOOKUPS_AT_ONCE);
  const read = new Map<string, Promise<string | undefined>>();
  return (descriptor) => {
    let type = read.get(descriptor.digest);
    if (!type) {
      type = limit(async () => {
        try {
          return artifactTypeOf((await target.fetchManifest(descriptor, { signal })).manifest);
        } catch (err) {
          if (!OciError.is(err, 'NOT_FOUND')) throw err;
          return undefined;
        }
      });
      read.set(descriptor.digest, type);
    }
    return type;
  };
}

/**
 * Fills in the artifact type of every entry that names none, from its manifest (a manifest that is gone leaves it
 * unnamed), then keeps those of `types` (all when empty).
 */
export async function completeArtifactTypes(
  referrers: Referrer[],
  types: readonly string[],
  readType: ArtifactTypeReader,
): Promise<Referrer[]> {
  await Promise.all(
    referrers
      .filter((r) => !r.descriptor.artifactType)
      .map(async (r) => {
        const artifactType = await readType(r.descriptor);
        if (artifactType) r.descriptor.artifactType = artifactType;
      }),
  );
  return types.length ? referrers.filter((r) => types.includes(r.descriptor.artifactType ?? '')) : referrers;
}

/** The API's answer: one query per wanted type (the API filters by one), or all; undefined without an API. */
async function nativeListing(
  target: ReadOnlyTarget,
  subjectDigest: string,
  types: readonly string[],
  signal?: AbortSignal,
): Promise<Descriptor[] | undefined> {
  if (!isReferrersLister(target)) return undefined;
  if (types.length === 0) return target.nativeReferrers(subjectDigest, { signal });
  const answers = await Promise.all(
    types.map((artifactType) => target.nativeReferrers(subjectDigest, { artifactType, signal })),
  );
  return answers.some((a) => a !== undefined) ? answers.flatMap((a) => a ?? []) : undefined;
}

/** One referrer per digest, the first place it was found naming the source; missing type and annotations filled in. */
function mergeByDigest(found: readonly Referrer[]): Referrer[] {
  const byDigest = new Map<string, Referrer>();
  for (const r of found) {
    const digest = r.descriptor.digest;
    const first = byDigest.get(digest);
    if (!first) {
      byDigest.set(digest, { ...r, descriptor: { ...r.descriptor } });
      continue;
    }
    if (!first.descriptor.artifactType && r.descriptor.artifactType)
      first.descriptor.artifactType = r.descriptor.artifactType;
    if (!first.descriptor.annotations && r.descriptor.annotations)
      first.descriptor.annotations = { ...r.descriptor.annotations };
    if (!first.tag && r.tag) first.tag = r.tag;
  }
  return [...byDigest.values()];
}

/** Tag names that can say whether they hold one: a Set, or a DigestSet (smaller, and may answer yes wrongly). */
export type TagNames = Pick<ReadonlySet<string>, 'has'>;

/** Whether `tag` may be there: absent from a whole listing it is not, and needs no request to say so. */
function mayBeTagged(tagsListed: TagNames | undefined, tag: string): boolean {
  return !tagsListed || tagsListed.has(tag);
}

async function listCosignTags(
  target: ReadOnlyTarget,
  subjectDigest: string,
  tagsListed: TagNames | undefined,
  signal?: AbortSignal,
): Promise<Referrer[]> {
  const base = fallbackTagOf(subjectDigest);
  const results = await Promise.all(
    Object.entries(COSIGN_TAG_TYPES).map(async ([suffix, artifactType]): Promise<Referrer | undefined> => {
      const tag = `${base}.${suffix}`;
      if (!mayBeTagged(tagsListed, tag)) return undefined;
      const descriptor = await resolveOrUndefined(target, tag, signal);
      return descriptor && { descriptor: { ...cleanDescriptor(descriptor), artifactType }, source: 'cosign-tag', tag };
    }),
  );
  return results.filter((r): r is Referrer => r !== undefined);
}

async function resolveOrUndefined(
  target: ReadOnlyTarget,
  tag: string,
  signal?: AbortSignal,
): Promise<Descriptor | undefined> {
  try {
    return await target.resolve(tag, { signal });
  } catch (err) {
    if (OciError.is(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
}

/**
 * The fallback referrers index of a subject, or undefined when there is none. A tag that names something other
 * than an index holds no referrers (GitLab answers a missing `sha256-<hex>` tag with the subject itself) and
 * reads as none here; `referrers check` reports it, and writers refuse to overwrite it (see fallbackIndex.ts).
 */
export async function fetchFallbackIndex(
  target: ReadOnlyTarget,
  subjectDigest: string,
  signal?: AbortSignal,
): Promise<ImageIndex | undefined> {
  const fallback = await readFallbackTag(target, subjectDigest, signal);
  return fallback?.index;
}

export interface FallbackTagContent {
  descriptor: Descriptor;
  /** The referrers index, when the tag names an index. */
  index?: ImageIndex;
  /** The tag named the subject itself (GitLab resolves a missing `sha256-<hex>` tag to the digest). */
  namesSubject: boolean;
}

/** What the fallback tag of a subject names, or undefined when there is no such tag. */
export async function readFallbackTag(
  target: ReadOnlyTarget,
  subjectDigest: string,
  signal?: AbortSignal,
): Promise<FallbackTagContent | undefined> {
  let fetched;
  try {
    fetched = await target.fetchManifest(fallbackTagOf(subjectDigest), { signal });
  } catch (err) {
    if (OciError.is(err, 'NOT_FOUND')) return undefined;
    throw err;
  }
  const namesSubject = fetched.descriptor.digest === subjectDigest;
  return isIndex(fetched.manifest) && !namesSubject
    ? { descriptor: fetched.descriptor, index: fetched.manifest, namesSubject }
    : { descriptor: fetched.descriptor, namesSubject };
}
