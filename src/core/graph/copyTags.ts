// Many tags of one store copied into another, as one operation with one summary: what `backup` (registry → layout
// or archive) and `restore` (layout or archive → registry) both are. Each tag is the ordinary copy walk; a node the
// destination already has (from an earlier tag of this run, or an earlier run) is found there and not moved again,
// so a blob shared by fifty tags is fetched once and a rerun after a failure moves only what is missing.
import {
  type Descriptor,
  formatBytes,
  NotFoundError,
  OciError,
  printable,
  shortDigest,
  throwIfAborted,
  counted,
  tagProblem,
} from '../oci';
import { keepsWholeGraphs, LayoutSymlinkError, type Target, withBatchedIndex, writePendingTags } from '../content';
import { copy, DEFAULT_CONCURRENCY, type CopyOptions, type CopyProgress } from './copy';
import { resolvedAhead, type Settled } from './resolvedAhead';
import { isReferrerTag } from './referrers';
import { DigestSet } from './digestSet';
import { cannotTell, refuseIfRetagged, tagAt, type TagAt } from './retagged';
import type { NotAReferrer } from './referrerSubject';

export interface CopyTagsOptions {
  /** Tags to copy; every tag of the source (but referrer tags) when empty or missing and no `digests` are named. */
  tags?: readonly string[];
  /** Manifests copied by digest after the tags (rows chosen by digest): no tag names them at the destination. */
  digests?: readonly Descriptor[];
  /** Keep only tags matching one of these globs (`*` any run of characters, `?` one). */
  patterns?: readonly string[];
  /**
   * The tags of the destination this copy may move from another digest, as the user was asked (plannedTagMoves):
   * when given, any other move (the source names another digest since it was asked, or the tag was pushed at the
   * destination since) is refused before that tag moves.
   */
  movesAgreed?: readonly TagMove[];
  /** Copy the referrers of every manifest copied, recursively. */
  referrers?: boolean;
  /** Where the source's referrers are read, and whether the destination's fallback tag lists them always. */
  referrersFrom?: CopyOptions['referrersFrom'];
  fallbackTagAlways?: boolean;
  /**
   * A tag that fails (the source refuses its manifest, a blob fails its digest, the destination refuses) is
   * reported (`failed` event, `summary.failed`) and the next tag goes on (skopeo sync's --keep-going); without it
   * the first failure ends the copy, thrown as it came. Refused credentials (UNAUTHORIZED) end it either way.
   */
  keepGoing?: boolean;
  /** A tag naming another digest at the destination is left as it is (crane's --no-clobber): `summary.kept`. */
  noClobber?: boolean;
  /** Ask the destination for every node of every tag, even where a registry holds the manifest (a repair). */
  checkEveryNode?: boolean;
  /**
   * The clock the age of the source's tag list is read on (TAG_LIST_MAX_AGE_MS); tests drive it, the default is
   * Date.now.
   */
  now?: () => number;
  /**
   * Keep a record of every tag in `summary.tags` (what JSON output prints whole). Without it the summary keeps the
   * first TAG_RECORDS_KEPT and counts the rest (`summary.tally`): a record a tag grew a mirror of 50,000 tags by
   * megabytes for a summary line that names ten.
   */
  everyTag?: boolean;
  /**
   * Each tag's record as it is made, in order (what `summary.tags` would hold with `everyTag`): the CLI prints its
   * JSON summary's records as they come rather than keeping 50,000 of them for the end.
   */
  onTagRecord?: (record: TagRecord) => void;
  /** Transfers at a time within a tag, and tags whose HEADs are asked ahead (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Before and after each tag. */
  onTag?: (event: TagEvent) => void;
  /** Each node of each walk, as copy() reports it (what the editor names: "with 1 signature and 1 SBOM"). */
  onItem?: CopyOptions['onItem'];
  /** Byte and item progress within the current tag. */
  onProgress?: (progress: Readonly<CopyProgress>) => void;
}

export interface TagEvent {
  /** The tag, or the digest of a manifest named by digest (`untagged`). */
  tag: string;
  untagged?: boolean;
  /** 1-based position and the number of tags. */
  position: number;
  count: number;
  phase: 'start' | 'done' | 'failed';
  /** When failed: why (with keepGoing the run goes on; without, this error ends it). */
  error?: unknown;
  /**
   * When failed and the run ends here: because keepGoing was not asked ('failure'), or whatever it asked, because
   * credentials were refused ('credentials') or the storage written to takes no tag ('storage': a full disk or
   * quota, a read-only file system, a symbolic link in a layout).
   */
  endsRun?: RunStop;
  /**
   * When the run ends here: the tags done before it that the destination stores but does not list (a layout's
   * index.json could not be written for the last of them); a rerun lists them. Not among the tags done.
   */
  unlisted?: number;
  /**
   * When failed: it is not this tag that failed but the destination's last write of the run's tags (a layout's
   * index.json), after every tag was copied; `tag` and `position` are the last tag's, and it is done or unlisted.
   */
  listing?: true;
  /** When done: the other digest the destination's tag names, left as it is (noClobber). */
  kept?: string;
  /** When done: the digest the tag names and how many referrers were reached for it. */
  digest?: string;
  referrers?: number;
  /** When done: the other digest the tag named at the destination before (it was moved), if it did. */
  replaced?: string;
  /** When done: the tag named this digest at the destination already, and nothing of its graph moved. */
  unchanged?: boolean;
}

export type RunStop = 'failure' | 'credentials' | 'storage';

export interface TagFailure {
  tag: string;
  untagged?: true;
  reason: string;
  code?: string;
}

export interface TagRecord {
  tag: string;
  digest: string;
  referrers: number;
  replaced?: string;
  unchanged?: true;
}

export interface TagTallies {
  /** Tags done (copied, moved or found unchanged). */
  done: number;
  unchanged: number;
  /** Tags moved from another digest, and the first MAX_TAGS_SHOWN of them. */
  replaced: number;
  replacedFirst: string[];
}

/** Tag records a summary keeps without `everyTag`: enough for the editor's and tests' look at a few tags. */
export const TAG_RECORDS_KEPT = 100;

export interface CopyTagsSummary {
  /**
   * The tags done, in order: every one with `everyTag`, else the first TAG_RECORDS_KEPT (`tally` counts them all).
   * `replaced`: the other digest the tag named at the destination before this copy moved it; `unchanged`: the tag
   * named this digest there already and nothing of its graph moved (a mirror's rerun).
   */
  tags: TagRecord[];
  /** Every tag done, counted, whether or not `tags` holds its record: what the summary line says. */
  tally: TagTallies;
  /** The manifests named by digest (`digests`), copied without a tag. */
  untagged: { digest: string; referrers: number }[];
  /** noClobber: tags left naming `destination` there, where the source names `digest`. */
  kept: { tag: string; digest: string; destination: string }[];
  /** keepGoing: the tags (or digests, `untagged`) that failed, with the error's words and code. */
  failed: TagFailure[];
  /** Nodes copied, each counted once however many tags share it: manifests (not referrers), referrers, blobs. */
  manifests: number;
  referrers: number;
  blobs: number;
  bytes: number;
  /** Nodes found at the destination already (not moved), and their bytes. */
  skipped: number;
  skippedBytes: number;
  /** Manifests listed as referrers that are not (see referrerSubject.ts): not copied. */
  notReferrers: NotAReferrer[];
}

/** The tags to copy: the named ones (each must exist), else all but referrer tags, then filtered by `patterns`. */
export async function selectTags(
  src: Target,
  options: Pick<CopyTagsOptions, 'tags' | 'patterns' | 'signal'>,
): Promise<string[]> {
  return (await chooseTags(src, options)).tags;
}

/**
 * selectTags, and every tag the source listed (referrer tags too) when the whole list was read: always when no tags
 * are named; with named tags only when `listEvery` asks (a copy with referrers answers "no fallback or cosign tag"
 * from it for each manifest), and only if the source lists them (a listing refused leaves each tag to be asked).
 */
export async function chooseTags(
  src: Target,
  options: Pick<CopyTagsOptions, 'tags' | 'patterns' | 'signal'> & { listEvery?: boolean },
): Promise<{ tags: string[]; listed: Set<string> | undefined }> {
  const { signal } = options;
  let tags: string[];
  let every: Set<string> | undefined;
  if (options.tags?.length) {
    tags = [...new Set(options.tags)];
    for (const tag of tags) {
      await src.resolve(tag, { signal }).catch((err: unknown) => {
        throw OciError.is(err, 'NOT_FOUND')
          ? new NotFoundError(`tag "${printable(tag)}" in ${src.location} (named on the command line)`)
          : err;
      });
    }
    if (options.listEvery)
      every = await everyTag(src, signal).catch((err: unknown) => {
        throwIfAborted(signal);
        if (OciError.is(err, 'ABORTED')) throw err;
        return undefined;
      });
  } else {
    every = await everyTag(src, signal);
    tags = [...every].filter((t) => !isReferrerTag(t)).sort();
  }
  const patterns = (options.patterns ?? []).map(globToRegExp);
  if (!patterns.length) return { tags, listed: every };
  const matching = tags.filter((t) => patterns.some((p) => p.test(t)));
  // A pattern that matches nothing is a typo far more often than a wish to copy nothing: say so, with the tags.
  if (!matching.length && tags.length) {
    const shown = tags.slice(0, MAX_TAGS_SHOWN).map(printable).join(', ');
    const more = tags.length > MAX_TAGS_SHOWN ? ', …' : '';
    const globs = options.patterns!.map((p) => `"${printable(p)}"`).join(' or ');
    throw new NotFoundError(`a tag matching ${globs} in ${src.location}`, { detail: `its tags: ${shown}${more}` });
  }
  return { tags: matching, listed: every };
}

/**
 * How old the source's tag list may be when it answers "no fallback or cosign tag" for a manifest: past this it is
 * read again (once, before the next tag). A referrer pushed while a long run goes is then found by the tags copied
 * after the next reading, at the price of one listing a minute; asking for each absent tag instead would cost four
 * requests a manifest.
 */
export const TAG_LIST_MAX_AGE_MS = 60_000;

/** Errors of the storage written to (or a layout's structure), not of a tag. */
const STORAGE_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/**
 * A failure no tag of the run can get past: a full disk or quota, a read-only file system, a symbolic link in a
 * layout (Stowage writes nothing through it). keepGoing would read every remaining tag from the source only to fail
 * the same way, burying the one cause among as many lines as tags; it ends the run instead.
 */
function failsEveryTag(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof LayoutSymlinkError) return true;
    const { code } = e as NodeJS.ErrnoException;
    if (typeof code === 'string' && STORAGE_ERRNOS.has(code)) return true;
  }
  return false;
}

/** Whether a tag's failure ends the run, and why; undefined when keepGoing goes on past it. */
function runStop(err: unknown, keepGoing: boolean): RunStop | undefined {
  // Said as such with or without keepGoing: "--keep-going goes on past a failing tag" sent a user with a full
  // disk to a flag that stops at it too.
  if (failsEveryTag(err)) return 'storage';
  if (!keepGoing) return 'failure';
  // Refused credentials are refused for every tag: going on would send them again, once a tag (a registry that
  // locks an account after a few failed logins locks it), so they end the run even with keepGoing.
  if (OciError.is(err, 'UNAUTHORIZED')) return 'credentials';
  return undefined;
}

const MAX_TAGS_SHOWN = 10;

/**
 * The fallback and cosign tags of a whole listing, kept for the run: 10,000 signed tags' `sha256-<hex>` strings cost
 * about 1.2 MB in a Set, 16 to 32 bytes a tag in a DigestSet (whose rare wrong yes costs one request).
 */
function referrerTagsIn(every: ReadonlySet<string> | undefined): DigestSet | undefined {
  if (!every) return undefined;
  const kept = new DigestSet();
  for (const tag of every) if (isReferrerTag(tag)) kept.add(tag);
  return kept;
}

/** The source's whole tag list, each tag once. */
async function everyTag(src: Target, signal: AbortSignal | undefined): Promise<Set<string>> {
  const every = new Set<string>();
  // A registry may list a tag on several pages (one that ignores `last`): each is copied once, not once a page.
  // A listing cut short throws (paging limits, a next link back to a page already read), so a list read here is
  // the whole list.
  for await (const page of src.listTags({ signal, whole: true })) for (const t of page) every.add(t);
  return every;
}

/**
 * Copies `tags` (see selectTags), then the manifests `digests` names, from `src` to `dst`, one at a time, and sums up
 * what moved. The tags' HEADs at both ends are asked `concurrency` tags ahead; everything else is in tag order.
 */
export function copyTags(src: Target, dst: Target, options: CopyTagsOptions = {}): Promise<CopyTagsSummary> {
  // A layout writes the run's tags to its index.json in batches, not the whole file once per manifest it tags.
  return withBatchedIndex(dst, () => copyEachTag(src, dst, options));
}

/**
 * The tags to copy, and with referrers the fallback and cosign tags of the source's whole listing: all a copy asks
 * of it (is this tag there?). Nothing else of the listing is kept: a mirror of 50,000 tags held every tag, and as
 * many fallback tags, for its whole length.
 */
export async function tagsToCopy(
  src: Target,
  options: CopyTagsOptions,
): Promise<{ tags: string[]; listed: DigestSet | undefined }> {
  // Digests alone copy those manifests, not every tag besides.
  if (options.digests?.length && !options.tags?.length && !options.patterns?.length)
    return { tags: [], listed: undefined };
  const chosen = await chooseTags(src, { ...options, listEvery: !!options.referrers });
  return { tags: chosen.tags, listed: options.referrers ? referrerTagsIn(chosen.listed) : undefined };
}

async function copyEachTag(src: Target, dst: Target, options: CopyTagsOptions): Promise<CopyTagsSummary> {
  const digests = options.digests ?? [];
  const { signal } = options;
  // `listed` is replaced as the run goes (freshListing), never kept twice.
  const selection = await tagsToCopy(src, options);
  const { tags } = selection;
  const now = options.now ?? Date.now;
  let listedAt = now();
  /** The tag list read again once it is older than TAG_LIST_MAX_AGE_MS; a listing refused leaves each tag asked. */
  const freshListing = async (): Promise<void> => {
    if (!selection.listed || now() - listedAt < TAG_LIST_MAX_AGE_MS) return;
    selection.listed = referrerTagsIn(
      await everyTag(src, signal).catch((err: unknown) => {
        throwIfAborted(signal);
        if (OciError.is(err, 'ABORTED')) throw err;
        return undefined;
      }),
    );
    listedAt = now();
  };
  // A layout may name its manifests with anything; a tag that no store accepts is refused before anything moves.
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem)
      throw new OciError(
        'INVALID_REFERENCE',
        `${src.location} names a manifest "${printable(tag)}", which is not a tag a copy can write (${printable(problem)}); name the tags to copy without it`,
      );
  }
  const seen = new DigestSet();
  const summary: CopyTagsSummary = {
    tags: [],
    tally: { done: 0, unchanged: 0, replaced: 0, replacedFirst: [] },
    untagged: [],
    kept: [],
    failed: [],
    manifests: 0,
    referrers: 0,
    blobs: 0,
    bytes: 0,
    skipped: 0,
    skippedBytes: 0,
    notReferrers: [],
  };
  const count = tags.length + digests.length;
  const copyOptions = (onItem: CopyOptions['onItem']): CopyOptions => ({
    referrers: options.referrers,
    referrersFrom: options.referrersFrom,
    fallbackTagAlways: options.fallbackTagAlways,
    checkEveryNode: options.checkEveryNode,
    sourceTags: selection.listed,
    concurrency: options.concurrency,
    signal,
    onProgress: options.onProgress,
    onItem,
  });
  /** One tag or digest: its start, its copy, its end — or its failure, which stops the run unless keepGoing. */
  const step = async (
    event: Omit<TagEvent, 'phase'>,
    body: (walk: (onItem?: CopyOptions['onItem']) => CopyOptions, tally: () => TagTally) => Promise<void>,
  ) => {
    throwIfAborted(signal);
    options.onTag?.({ ...event, phase: 'start' });
    const referrersOfTag = new Set<string>();
    let moved = 0;
    const onItem: CopyOptions['onItem'] = (node, outcome) => {
      options.onItem?.(node, outcome);
      if (outcome.referrer) referrersOfTag.add(node.digest);
      if (!outcome.skipped) moved++;
      noteNode(summary, seen, node, outcome);
    };
    try {
      await freshListing();
      await body(
        () => copyOptions(onItem),
        () => ({ referrers: referrersOfTag.size, moved }),
      );
    } catch (err) {
      // Cancelling ends the run whatever was asked: it is no failure of this tag.
      throwIfAborted(signal);
      if (OciError.is(err, 'ABORTED')) throw err;
      const endsRun = runStop(err, !!options.keepGoing);
      const unlisted = endsRun ? await unlistedBefore(dst, tags, event.position) : 0;
      options.onTag?.({
        ...event,
        phase: 'failed',
        error: err,
        ...(endsRun ? { endsRun, unlisted } : {}),
      });
      if (endsRun) throw err;
      summary.failed.push({
        tag: event.tag,
        ...(event.untagged ? { untagged: true as const } : {}),
        reason: err instanceof Error ? err.message : String(err),
        ...(err instanceof OciError ? { code: err.code } : {}),
      });
    }
  };
  const done = (event: Omit<TagEvent, 'phase'>, outcome: Omit<TagEvent, 'phase' | 'tag' | 'position' | 'count'>) =>
    options.onTag?.({ ...event, ...outcome, phase: 'done' });

  // Both ends by HEAD first, a few tags ahead: a tag that names the same digest at both needs no tagging, and at a
  // registry (WholeGraphKeeper) without referrers nothing else either: a rerun costs a request a side per tag.
  const window = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const heads = resolvedAhead(tags, (tag) => headsOf(src, dst, tag, !!options.noClobber, signal), window);
  for (const [i, tag] of tags.entries()) {
    const head = (await heads.next()).value as Settled<TagHeads>;
    const event = { tag, position: i + 1, count };
    await step(event, async (walk, tally) => {
      if (!head.ok) throw head.error;
      const { root, before, told } = head.value;
      const same = before === root.digest;
      if (before !== undefined && !same && options.noClobber) {
        summary.kept.push({ tag, digest: root.digest, destination: before });
        done(event, { digest: root.digest, referrers: 0, kept: before });
        return;
      }
      if (before !== undefined && !same)
        refuseUnagreedMove(options.movesAgreed, { tag, from: before, to: root.digest });
      if (same && !options.referrers && !options.checkEveryNode && keepsWholeGraphs(dst)) {
        noteNode(summary, seen, root, { skipped: true, manifest: true, referrer: false });
        noteTag(summary, { tag, digest: root.digest, referrers: 0, unchanged: true }, options);
        done(event, { digest: root.digest, referrers: 0, unchanged: true });
        return;
      }
      // noClobber: the tag is written only if the destination still has none once the graph is there (the HEAD
      // above was asked tags ahead, and a graph takes time): a tag pushed there meanwhile is kept, not overwritten.
      const tagNow = !same && !options.noClobber;
      // The tag is written only if the destination's still names what it named at the HEAD (asked tags ahead, and
      // a graph takes time): one HEAD more per tag written, and a release pushed there meanwhile is not moved.
      const unchangedSinceHead = () =>
        refuseIfRetagged(dst, tag, before, root.digest, told, signal, (now) => changedMeanwhile(dst, tag, before, now));
      const result = await copy(src, root, dst, {
        ...walk(),
        ...(tagNow ? { tag, beforeTag: unchangedSinceHead } : {}),
      });
      if (!same && !tagNow) {
        const now = await namedAt(dst, tag, signal, true);
        if (now !== undefined && now !== root.digest) {
          summary.kept.push({ tag, digest: root.digest, destination: now });
          done(event, { digest: root.digest, referrers: 0, kept: now });
          return;
        }
        if (now === undefined) await dst.tag(result.descriptor, tag, { signal });
      }
      const { referrers, moved } = tally();
      const outcome = {
        digest: result.descriptor.digest,
        referrers,
        ...(before !== undefined && !same ? { replaced: before } : {}),
        ...(same && moved === 0 ? { unchanged: true as const } : {}),
      };
      noteTag(summary, { tag, ...outcome }, options);
      noteNotReferrers(summary, result.notReferrers);
      done(event, outcome);
    });
  }
  for (const [i, descriptor] of digests.entries()) {
    const event = { tag: descriptor.digest, untagged: true, position: tags.length + i + 1, count };
    await step(event, async (walk, tally) => {
      const result = await copy(src, descriptor, dst, walk());
      const { referrers } = tally();
      summary.untagged.push({ digest: result.descriptor.digest, referrers });
      noteNotReferrers(summary, result.notReferrers);
      done(event, { digest: result.descriptor.digest, referrers });
    });
  }
  await listEveryTag(dst, tags, digests, options.onTag);
  return summary;
}

/**
 * The run's last write of its tags (a layout's index.json), made here rather than when the batch ends, so that a
 * failure of it (a full disk once every tag was copied) is told as a stop like any other: how many tags are stored
 * but not listed, and that a rerun lists them.
 */
async function listEveryTag(
  dst: Target,
  tags: readonly string[],
  digests: readonly Descriptor[],
  onTag: CopyTagsOptions['onTag'],
): Promise<void> {
  const { unlisted, error } = await writePendingTags(dst);
  if (error === undefined) return;
  const last = digests.length
    ? { tag: digests[digests.length - 1]!.digest, untagged: true }
    : { tag: tags[tags.length - 1] ?? '' };
  const count = tags.length + digests.length;
  onTag?.({
    ...last,
    position: count,
    count,
    phase: 'failed',
    error,
    endsRun: failsEveryTag(error) ? 'storage' : 'failure',
    unlisted: tags.filter((tag) => unlisted.has(tag)).length,
    listing: true,
  });
  throw error;
}

/**
 * How many of the tags before `position` the destination does not list once it wrote what it holds: a full disk at a
 * layout's batched index.json write leaves the tags of the batch stored but unnamed, and "done" would claim them.
 */
async function unlistedBefore(dst: Target, tags: readonly string[], position: number): Promise<number> {
  const { unlisted } = await writePendingTags(dst).catch(() => ({ unlisted: new Set<string>() }));
  if (!unlisted.size) return 0;
  let count = 0;
  for (const tag of tags.slice(0, position - 1)) if (unlisted.has(tag)) count++;
  return count;
}

type TagTally = { referrers: number; moved: number };
/** `told`: the destination answered the HEAD (a digest, or not found), so it must answer the check before writing. */
type TagHeads = { root: Descriptor; before: string | undefined; told: boolean };

/** What a tag names at the source and, if it can tell, at the destination: asked at both at once. */
async function headsOf(
  src: Target,
  dst: Target,
  tag: string,
  mustTell: boolean,
  signal: AbortSignal | undefined,
): Promise<TagHeads> {
  const [root, at] = await Promise.all([src.resolve(tag, { signal }), tagAt(dst, tag, signal)]);
  return { root, before: toldOrNot(dst, tag, at, mustTell), told: !('unknown' in at) };
}

/**
 * Tags `descriptor` as `tag` at `dst` only if the tag still names what it named when the user was asked: `agreed`,
 * the move agreed to, or undefined when the tag was free or named this digest already. A copy takes minutes; a tag
 * pushed there meanwhile is refused (CONFLICT, naming both moves), not moved unasked — the content stays, untagged.
 */
export async function tagIfUnchanged(
  dst: Target,
  descriptor: Descriptor,
  tag: string,
  agreed: TagMove | undefined,
  signal?: AbortSignal,
): Promise<void> {
  // A move agreed to was seen at the question: the destination could tell then, and must now.
  await refuseIfRetagged(dst, tag, agreed?.from, descriptor.digest, agreed !== undefined, signal, (now) =>
    unagreedMove(agreed ? [agreed] : [], { tag, from: now, to: descriptor.digest }),
  );
  await dst.tag(descriptor, tag, { signal });
}

/** A tag the destination changed while its graph was copied: left as it is, a CONFLICT for that tag alone. */
function changedMeanwhile(dst: Target, tag: string, before: string | undefined, now: string): OciError {
  const named = (digest: string | undefined) => (digest ? shortDigest(digest, { withAlgorithm: true }) : 'nothing');
  return new OciError(
    'CONFLICT',
    `tag ${printable(tag)} at ${dst.location} changed while it was copied and was left as it is (it named ${named(before)} when the copy looked, ${named(now)} when it came to write it); what was copied stays there, untagged: copy it again to move it`,
  );
}

/** A move the user was not asked about: what the source or the destination says changed since the question. */
function refuseUnagreedMove(agreed: readonly TagMove[] | undefined, move: TagMove): void {
  if (!agreed || agreed.some((m) => m.tag === move.tag && m.from === move.from && m.to === move.to)) return;
  throw unagreedMove(agreed, move);
}

function unagreedMove(agreed: readonly TagMove[], move: TagMove): OciError {
  const asked = agreed.find((m) => m.tag === move.tag);
  const short = (digest: string) => shortDigest(digest, { withAlgorithm: true });
  const was = asked ? `asked: ${short(asked.from)} → ${short(asked.to)}` : 'not asked about';
  return new OciError(
    'CONFLICT',
    `tag ${printable(move.tag)} changed since the question and was left as it is (it would move ${short(move.from)} → ${short(move.to)}; ${was}): copy again to be asked`,
  );
}

function noteNotReferrers(summary: CopyTagsSummary, found: readonly NotAReferrer[] | undefined): void {
  for (const r of found ?? [])
    if (!summary.notReferrers.some((n) => n.digest === r.digest && n.listedUnder === r.listedUnder))
      summary.notReferrers.push(r);
}

/**
 * Each node counted once in the summary, as it was first met (copied, or found at the destination): counted when
 * met, its digest kept in a few bytes (DigestSet), so that the summary does not grow with the tags.
 */
function noteNode(
  summary: CopyTagsSummary,
  seen: DigestSet,
  descriptor: Descriptor,
  outcome: { skipped: boolean; manifest: boolean; referrer: boolean },
): void {
  if (!seen.add(descriptor.digest)) return;
  if (outcome.skipped) {
    summary.skipped++;
    summary.skippedBytes += descriptor.size;
    return;
  }
  summary.bytes += descriptor.size;
  if (!outcome.manifest) summary.blobs++;
  else if (outcome.referrer) summary.referrers++;
  else summary.manifests++;
}

/** A tag a copy would move: it names `from` at the destination now, and would name `to`. */
export interface TagMove {
  tag: string;
  from: string;
  to: string;
}

/** The tags among `tags` that name another digest at `dst` than at `src` (asked before a restore moves them). */
export async function plannedTagMoves(
  src: Target,
  dst: Target,
  tags: readonly string[],
  signal?: AbortSignal,
): Promise<TagMove[]> {
  const moves: TagMove[] = [];
  for (const tag of tags) {
    const move = await plannedTagMove(dst, tag, async () => (await src.resolve(tag, { signal })).digest, signal);
    if (move) moves.push(move);
  }
  return moves;
}

/**
 * The move of `tag` at `dst` when it names another digest now than `to` (Copy To… asks before moving it); nothing
 * when the tag is free there or already names it. `to` is read only when the tag is taken.
 */
export async function plannedTagMove(
  dst: Target,
  tag: string,
  to: string | (() => Promise<string>),
  signal?: AbortSignal,
): Promise<TagMove | undefined> {
  const from = await namedAt(dst, tag, signal);
  if (from === undefined) return undefined;
  const digest = typeof to === 'string' ? to : await to();
  return from === digest ? undefined : { tag, from, to: digest };
}

/**
 * What the destination's tag names before the copy, if it can tell: a restore into a repository in use moves its
 * tags, and the user is told which. Only for the telling: a destination that lets a writer push but not read
 * (a push-only robot account) is not a failure here — unless `mustTell` (noClobber), where a tag that cannot be
 * told absent must not be written over: only "not found" is absence then, and any other answer fails the tag.
 */
async function namedAt(
  dst: Target,
  tag: string,
  signal: AbortSignal | undefined,
  mustTell = false,
): Promise<string | undefined> {
  return toldOrNot(dst, tag, await tagAt(dst, tag, signal), mustTell);
}

/** The digest `at` gives (undefined: none), and when the destination would not say, undefined unless `mustTell`. */
function toldOrNot(dst: Target, tag: string, at: TagAt, mustTell: boolean): string | undefined {
  if (!('unknown' in at)) return at.digest;
  if (mustTell) throw cannotTell(dst, tag, at.unknown, '--no-clobber leaves it unwritten');
  return undefined;
}

/** A tag done: counted, told to `onTagRecord`, and its record kept while there is room (every one with `everyTag`). */
function noteTag(
  summary: CopyTagsSummary,
  record: TagRecord,
  { everyTag, onTagRecord }: Pick<CopyTagsOptions, 'everyTag' | 'onTagRecord'>,
): void {
  onTagRecord?.(record);
  const { tally } = summary;
  tally.done++;
  if (record.unchanged) tally.unchanged++;
  if (record.replaced !== undefined && tally.replaced++ < MAX_TAGS_SHOWN) tally.replacedFirst.push(record.tag);
  if (everyTag || summary.tags.length < TAG_RECORDS_KEPT) summary.tags.push(record);
}

/** The tags a copy wrote or moved: those it found as they were (`unchanged`) are not among them. */
export function tagsMoved(summary: CopyTagsSummary): number {
  return summary.tally.done - summary.tally.unchanged;
}

/**
 * "3 manifest(s), 4 referrer(s), 12 blob(s), 1.2 MiB; 2 already there (3 KiB) skipped" (the last part only when
 * something was), the tags the copy moved from another digest ("; 1 tag moved from another digest: v1") and those it
 * found as they were ("; 2 tags unchanged"): for the CLI and the editor.
 */
export function formatCopyTagsSummary(summary: CopyTagsSummary): string {
  const moved = `${counted(summary.manifests, 'manifest')}, ${counted(summary.referrers, 'referrer')}, ${counted(summary.blobs, 'blob')}, ${formatBytes(summary.bytes)}`;
  const { replaced, replacedFirst, unchanged } = summary.tally;
  const retagged = replaced
    ? `; ${counted(replaced, 'tag')} moved from another digest: ${someTags(replacedFirst, replaced)}`
    : '';
  const same = unchanged ? `; ${counted(unchanged, 'tag')} unchanged` : '';
  // "0 already there (0 B) skipped" told nothing: said only when something was.
  const skipped = summary.skipped
    ? `; ${summary.skipped} already there (${formatBytes(summary.skippedBytes)}) skipped`
    : '';
  const kept = summary.kept.length
    ? `; ${counted(summary.kept.length, 'tag')} kept as the destination has it: ${someTags(summary.kept.map((k) => k.tag))}`
    : '';
  const failed = summary.failed.length
    ? `; ${counted(summary.failed.length, 'tag')} failed: ${someTags(summary.failed.map((f) => f.tag))}`
    : '';
  return `${moved}${skipped}${retagged}${same}${kept}${failed}`;
}

/** "v1, v2, …": the first few of `count` tags, escaped. */
function someTags(tags: readonly string[], count = tags.length): string {
  return tags.slice(0, MAX_TAGS_SHOWN).map(printable).join(', ') + (count > MAX_TAGS_SHOWN ? ', …' : '');
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
