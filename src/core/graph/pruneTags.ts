// Cleaning a repository up by tag, as a CI job removes its pull-request builds: the tags a glob picks, older than a
// given age and beyond the newest few kept, are deleted with their manifests. A registry deletes a manifest by
// digest, which takes every tag naming it: a manifest also named by a tag the glob did not pick (`latest` on the
// same build as `pr-12`) is kept, and so is one an index that stays holds, and one whose age it cannot tell (none,
// a time in the future, a reproducible build's fixed time). Only planning here; deleting goes through
// deleteArtifact, one manifest at a time, as `stowage delete` does.
import { createLimiter, type Limiter, type Target } from '../content';
import { counted, type Descriptor, isReferrerTag, OciError, printable } from '../oci';
import { chooseTags } from './copyTags';
import { createdTimeOf } from './createdTime';
import { indexMembers } from './indexMembers';

export interface PrunePlanOptions {
  /** Globs (`*`, `?`) picking the tags to consider; at least one must match. */
  patterns: readonly string[];
  /** Only manifests created longer ago than this (milliseconds) go. */
  olderThanMs?: number;
  /** Of the manifests the globs pick, the newest this many stay. */
  keep?: number;
  /** Tags resolved and ages read at once. */
  concurrency?: number;
  /** "Now", for the age (tests). */
  now?: number;
  signal?: AbortSignal;
}

export interface PruneEntry {
  descriptor: Descriptor;
  /** The picked tags naming it, sorted. */
  tags: string[];
  /** When it was made (milliseconds since the epoch), when it says. */
  created?: number;
}

export interface KeptEntry extends PruneEntry {
  /** Why it stays, in words ("also tagged latest", "among the newest 3", "created 2 days ago"…). */
  reason: string;
}

export interface PrunePlan {
  /** The order they are deleted in: oldest first when ages were asked about, else by tag. */
  doomed: PruneEntry[];
  kept: KeptEntry[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Tags named in a reason; the rest are counted. */
const TAGS_NAMED = 5;
/** Times before this are a reproducible build's fixed time (1970, 1980, Go's year 1), not a build's. */
const EARLIEST_CREATED = Date.UTC(2000, 0, 1);

export async function planPrune(target: Target, options: PrunePlanOptions): Promise<PrunePlan> {
  const { signal } = options;
  // The whole tag list, read once: the tags the globs pick, and every other that may name the same manifests.
  const chosen = await chooseTags(target, { patterns: [...options.patterns], signal });
  const picked = new Set(chosen.tags);
  // Read without tags named, the list is whole.
  const all = [...chosen.listed!].filter((tag) => !isReferrerTag(tag));

  const limit = createLimiter(options.concurrency ?? 4);
  const named = new Map<string, { descriptor: Descriptor; tags: string[]; others: string[] }>();
  for (const { tag, descriptor } of await resolveTags(target, all, limit, signal)) {
    const entry = named.get(descriptor.digest) ?? { descriptor, tags: [], others: [] };
    (picked.has(tag) ? entry.tags : entry.others).push(tag);
    named.set(descriptor.digest, entry);
  }
  const candidates = [...named.values()].filter((entry) => entry.tags.length);
  for (const entry of candidates) {
    entry.tags.sort();
    entry.others.sort();
  }

  const needAge = options.olderThanMs !== undefined || options.keep !== undefined;
  const aged = await Promise.all(
    candidates.map((entry) =>
      limit(async () => ({
        ...entry,
        created: needAge ? await createdTimeOf(target, entry.descriptor, signal) : undefined,
      })),
    ),
  );

  const kept: KeptEntry[] = [];
  const keep = (entry: (typeof aged)[number], reason: string) =>
    kept.push({ descriptor: entry.descriptor, tags: entry.tags, created: entry.created, reason });
  const now = options.now ?? Date.now();
  let eligible = aged.filter((entry) => {
    if (entry.others.length) keep(entry, `also tagged ${listed(entry.others)}, which the patterns do not pick`);
    else if (needAge && entry.created === undefined) keep(entry, 'it does not say when it was made');
    // Before the newest are counted: a time in the future would take one of their places, and the fixed time of a
    // reproducible build (1970, 1980) would make a build pushed a minute ago the oldest of all.
    else if (needAge && entry.created! > now) keep(entry, 'it says it was made in the future');
    else if (needAge && entry.created! < EARLIEST_CREATED)
      keep(
        entry,
        `it says it was made in ${new Date(entry.created!).getUTCFullYear()}, a fixed time, not when it was built`,
      );
    else return true;
    return false;
  });
  // Newest first, to keep the first `keep`; equal times by tag, so the plan is the same on every run.
  eligible.sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || a.tags[0]!.localeCompare(b.tags[0]!));
  if (options.keep !== undefined) {
    for (const entry of eligible.slice(0, options.keep)) keep(entry, `among the newest ${options.keep}`);
    eligible = eligible.slice(options.keep);
  }
  if (options.olderThanMs !== undefined) {
    const cutoff = now - options.olderThanMs;
    eligible = eligible.filter((entry) => {
      if (entry.created! <= cutoff) return true;
      keep(entry, `made ${age(now - entry.created!)} ago`);
      return false;
    });
  }
  // A manifest an index that stays holds is not deleted under it (the index would be broken), nor, in turn, what
  // an index kept so holds.
  const holders = await indexMembers(
    target,
    [...named.values()].map((entry) => entry.descriptor),
    limit,
    signal,
  );
  for (let changed = true; changed;) {
    changed = false;
    const going = new Set(eligible.map((entry) => entry.descriptor.digest));
    eligible = eligible.filter((entry) => {
      const holder = [...(holders.get(entry.descriptor.digest) ?? [])].find((digest) => !going.has(digest));
      if (holder === undefined) return true;
      const { tags, others } = named.get(holder)!;
      keep(entry, `held by the index tagged ${listed([...tags, ...others].sort())}, which stays`);
      changed = true;
      return false;
    });
  }
  // Oldest first when ages were read (a run cut short leaves the newest); by tag otherwise.
  const ordered = needAge ? eligible.reverse() : eligible.sort((a, b) => a.tags[0]!.localeCompare(b.tags[0]!));
  const doomed = ordered.map(({ descriptor, tags, created }) => ({ descriptor, tags, created }));
  kept.sort(byFirstTag);
  return { doomed, kept };
}

/**
 * The plan again just before deleting: the tag list is read anew and every tag outside the doomed entries' own is
 * resolved again, so a manifest tagged (or taken into a tagged index) since the plan was made stays. Planning reads
 * ages and indexes, which takes a while on a large repository; a registry has no conditional delete, so this is the
 * narrowest window one can leave.
 */
export async function recheckPrune(
  target: Target,
  plan: PrunePlan,
  options: Pick<PrunePlanOptions, 'concurrency' | 'signal'> = {},
): Promise<PrunePlan> {
  const { signal } = options;
  const doomedTags = new Set(plan.doomed.flatMap((entry) => entry.tags));
  const doomed = new Set(plan.doomed.map((entry) => entry.descriptor.digest));
  const planned = new Set([...doomed, ...plan.kept.map((entry) => entry.descriptor.digest)]);
  const limit = createLimiter(options.concurrency ?? 4);
  const others: string[] = [];
  for await (const page of target.listTags({ signal, whole: true }))
    others.push(...page.filter((tag) => !isReferrerTag(tag) && !doomedTags.has(tag)));
  const naming = new Map<string, string[]>();
  const unplanned = new Map<string, Descriptor>();
  for (const { tag, descriptor } of await resolveTags(target, [...new Set(others)], limit, signal)) {
    naming.set(descriptor.digest, [...(naming.get(descriptor.digest) ?? []), tag]);
    if (!planned.has(descriptor.digest)) unplanned.set(descriptor.digest, descriptor);
  }
  // Indexes the plan never saw: one tagged since may hold a doomed manifest.
  const holders = await indexMembers(target, [...unplanned.values()], limit, signal);
  const kept = [...plan.kept];
  const stillDoomed = plan.doomed.filter((entry) => {
    const { digest } = entry.descriptor;
    const tagged = naming.get(digest);
    const holder = [...(holders.get(digest) ?? [])][0];
    const reason = tagged
      ? `tagged ${listed(tagged.sort())} since the plan was made`
      : holder !== undefined
        ? `held by the index tagged ${listed(naming.get(holder)!.sort())}, tagged since the plan was made`
        : undefined;
    if (reason === undefined) return true;
    kept.push({ ...entry, reason });
    return false;
  });
  kept.sort(byFirstTag);
  return { doomed: stillDoomed, kept };
}

/** Each tag (sorted) with the manifest it names now, `limit` at a time; a tag deleted since the listing is left out. */
async function resolveTags(
  target: Target,
  tags: string[],
  limit: Limiter,
  signal: AbortSignal | undefined,
): Promise<{ tag: string; descriptor: Descriptor }[]> {
  const resolved = await Promise.all(
    tags.sort().map((tag) =>
      limit(async () => {
        const descriptor = await target.resolve(tag, { signal }).catch((err: unknown) => {
          if (OciError.is(err, 'NOT_FOUND')) return undefined;
          throw err;
        });
        return descriptor && { tag, descriptor };
      }),
    ),
  );
  return resolved.filter((r) => r !== undefined);
}

const byFirstTag = (a: PruneEntry, b: PruneEntry) => a.tags[0]!.localeCompare(b.tags[0]!);

function listed(tags: readonly string[]): string {
  const shown = tags.slice(0, TAGS_NAMED).map(printable).join(', ');
  return tags.length > TAGS_NAMED ? `${shown} and ${tags.length - TAGS_NAMED} more` : shown;
}

function age(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return counted(days, 'day');
  const hours = Math.floor(ms / (60 * 60 * 1000));
  return hours >= 1 ? counted(hours, 'hour') : 'less than an hour';
}
