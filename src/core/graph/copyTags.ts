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
import { keepsWholeGraphs, type Target } from '../content';
import { copy, type CopyOptions, type CopyProgress } from './copy';
import { isReferrerTag } from './referrers';
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
  phase: 'start' | 'done';
  /** When done: the digest the tag names and how many referrers were reached for it. */
  digest?: string;
  referrers?: number;
  /** When done: the other digest the tag named at the destination before (it was moved), if it did. */
  replaced?: string;
  /** When done: the tag named this digest at the destination already, and nothing of its graph moved. */
  unchanged?: boolean;
}

export interface CopyTagsSummary {
  /**
   * `replaced`: the other digest the tag named at the destination before this copy moved it; `unchanged`: the tag
   * named this digest there already and nothing of its graph moved (a mirror's rerun).
   */
  tags: { tag: string; digest: string; referrers: number; replaced?: string; unchanged?: true }[];
  /** The manifests named by digest (`digests`), copied without a tag. */
  untagged: { digest: string; referrers: number }[];
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
  let tags: string[];
  if (options.tags?.length) {
    tags = [...new Set(options.tags)];
    for (const tag of tags) {
      await src.resolve(tag, { signal: options.signal }).catch((err: unknown) => {
        throw OciError.is(err, 'NOT_FOUND')
          ? new NotFoundError(`tag "${printable(tag)}" in ${src.location} (named on the command line)`)
          : err;
      });
    }
  } else {
    tags = [];
    const listed = new Set<string>();
    // A registry may list a tag on several pages (one that ignores `last`): each is copied once, not once a page.
    for await (const page of src.listTags({ signal: options.signal }))
      for (const t of page) if (!isReferrerTag(t)) listed.add(t);
    tags = [...listed].sort();
  }
  const patterns = (options.patterns ?? []).map(globToRegExp);
  if (!patterns.length) return tags;
  const matching = tags.filter((t) => patterns.some((p) => p.test(t)));
  // A pattern that matches nothing is a typo far more often than a wish to copy nothing: say so, with the tags.
  if (!matching.length && tags.length) {
    const shown = tags.slice(0, MAX_TAGS_SHOWN).map(printable).join(', ');
    const more = tags.length > MAX_TAGS_SHOWN ? ', …' : '';
    const globs = options.patterns!.map((p) => `"${printable(p)}"`).join(' or ');
    throw new NotFoundError(`a tag matching ${globs} in ${src.location}`, { detail: `its tags: ${shown}${more}` });
  }
  return matching;
}

const MAX_TAGS_SHOWN = 10;

/**
 * Copies `tags` (see selectTags), then the manifests `digests` names, from `src` to `dst`, one at a time, and sums up
 * what moved.
 */
export async function copyTags(src: Target, dst: Target, options: CopyTagsOptions = {}): Promise<CopyTagsSummary> {
  const digests = options.digests ?? [];
  // Digests alone copy those manifests, not every tag besides.
  const tags =
    digests.length && !options.tags?.length && !options.patterns?.length ? [] : await selectTags(src, options);
  // A layout may name its manifests with anything; a tag that no store accepts is refused before anything moves.
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem)
      throw new OciError(
        'INVALID_REFERENCE',
        `${src.location} names a manifest "${printable(tag)}", which is not a tag a copy can write (${printable(problem)}); name the tags to copy without it`,
      );
  }
  const seen = new Map<string, SeenNode>();
  const summary: CopyTagsSummary = {
    tags: [],
    untagged: [],
    manifests: 0,
    referrers: 0,
    blobs: 0,
    bytes: 0,
    skipped: 0,
    skippedBytes: 0,
    notReferrers: [],
  };
  const items: { tag?: string; descriptor?: Descriptor }[] = [
    ...tags.map((tag) => ({ tag })),
    ...digests.map((descriptor) => ({ descriptor })),
  ];
  for (const [i, item] of items.entries()) {
    throwIfAborted(options.signal);
    const event = {
      tag: item.tag ?? item.descriptor!.digest,
      ...(item.tag === undefined ? { untagged: true } : {}),
      position: i + 1,
      count: items.length,
    };
    options.onTag?.({ ...event, phase: 'start' });
    const referrersOfTag = new Set<string>();
    let moved = 0;
    const onItem: CopyOptions['onItem'] = (node, outcome) => {
      options.onItem?.(node, outcome);
      if (outcome.referrer) referrersOfTag.add(node.digest);
      if (!outcome.skipped) moved++;
      noteNode(seen, node, outcome);
    };
    const copyOptions: CopyOptions = {
      referrers: options.referrers,
      referrersFrom: options.referrersFrom,
      fallbackTagAlways: options.fallbackTagAlways,
      concurrency: options.concurrency,
      signal: options.signal,
      onProgress: options.onProgress,
      onItem,
    };
    const { tag } = item;
    if (tag === undefined) {
      const result = await copy(src, item.descriptor!, dst, copyOptions);
      summary.untagged.push({ digest: result.descriptor.digest, referrers: referrersOfTag.size });
      noteNotReferrers(summary, result.notReferrers);
      options.onTag?.({ ...event, phase: 'done', digest: result.descriptor.digest, referrers: referrersOfTag.size });
      continue;
    }
    // Both ends by HEAD first: a tag that names the same digest at both needs no tagging, and at a registry
    // (WholeGraphKeeper) without referrers nothing else either: a rerun costs a request a side per tag.
    const root = await src.resolve(tag, { signal: options.signal });
    const before = await namedAt(dst, tag, options.signal);
    const same = before === root.digest;
    if (before !== undefined && !same) refuseUnagreedMove(options.movesAgreed, { tag, from: before, to: root.digest });
    if (same && !options.referrers && keepsWholeGraphs(dst)) {
      noteNode(seen, root, { skipped: true, manifest: true, referrer: false });
      summary.tags.push({ tag, digest: root.digest, referrers: 0, unchanged: true });
      options.onTag?.({ ...event, phase: 'done', digest: root.digest, referrers: 0, unchanged: true });
      continue;
    }
    const result = await copy(src, root, dst, { ...copyOptions, ...(same ? {} : { tag }) });
    const replaced = before !== undefined && !same ? before : undefined;
    const unchanged = same && moved === 0;
    summary.tags.push({
      tag,
      digest: result.descriptor.digest,
      referrers: referrersOfTag.size,
      ...(replaced ? { replaced } : {}),
      ...(unchanged ? { unchanged } : {}),
    });
    noteNotReferrers(summary, result.notReferrers);
    options.onTag?.({
      ...event,
      phase: 'done',
      digest: result.descriptor.digest,
      referrers: referrersOfTag.size,
      ...(replaced ? { replaced } : {}),
      ...(unchanged ? { unchanged } : {}),
    });
  }
  for (const node of seen.values()) {
    if (node.skipped) {
      summary.skipped++;
      summary.skippedBytes += node.size;
      continue;
    }
    summary.bytes += node.size;
    if (!node.manifest) summary.blobs++;
    else if (node.referrer) summary.referrers++;
    else summary.manifests++;
  }
  return summary;
}

/** A move the user was not asked about: what the source or the destination says changed since the question. */
function refuseUnagreedMove(agreed: readonly TagMove[] | undefined, move: TagMove): void {
  if (!agreed || agreed.some((m) => m.tag === move.tag && m.from === move.from && m.to === move.to)) return;
  const asked = agreed.find((m) => m.tag === move.tag);
  const short = (digest: string) => shortDigest(digest, { withAlgorithm: true });
  const was = asked ? `asked: ${short(asked.from)} → ${short(asked.to)}` : 'not asked about';
  throw new OciError(
    'CONFLICT',
    `tag ${printable(move.tag)} changed since the question and was left as it is (it would move ${short(move.from)} → ${short(move.to)}; ${was}): copy again to be asked`,
  );
}

function noteNotReferrers(summary: CopyTagsSummary, found: readonly NotAReferrer[] | undefined): void {
  for (const r of found ?? [])
    if (!summary.notReferrers.some((n) => n.digest === r.digest && n.listedUnder === r.listedUnder))
      summary.notReferrers.push(r);
}

type SeenNode = { skipped: boolean; manifest: boolean; referrer: boolean; size: number };

/** Each node counted once in the summary, as it was first met (copied, or found at the destination). */
function noteNode(
  seen: Map<string, SeenNode>,
  descriptor: Descriptor,
  outcome: Pick<SeenNode, 'skipped' | 'manifest' | 'referrer'>,
): void {
  if (!seen.has(descriptor.digest))
    seen.set(descriptor.digest, {
      skipped: outcome.skipped,
      manifest: outcome.manifest,
      referrer: outcome.referrer,
      size: descriptor.size,
    });
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
    const from = await namedAt(dst, tag, signal);
    if (from === undefined) continue;
    const to = (await src.resolve(tag, { signal })).digest;
    if (from !== to) moves.push({ tag, from, to });
  }
  return moves;
}

/**
 * What the destination's tag names before the copy, if it can tell: a restore into a repository in use moves its
 * tags, and the user is told which. Only for the telling: a destination that lets a writer push but not read
 * (a push-only robot account) is not a failure here.
 */
async function namedAt(dst: Target, tag: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    return (await dst.resolve(tag, { signal })).digest;
  } catch (err) {
    throwIfAborted(signal);
    if (OciError.is(err, 'ABORTED')) throw err;
    return undefined;
  }
}

/**
 * "3 manifest(s), 4 referrer(s), 12 blob(s), 1.2 MiB; 2 already there (3 KiB) skipped" (the last part only when
 * something was), the tags the copy moved from another digest ("; 1 tag moved from another digest: v1") and those it
 * found as they were ("; 2 tags unchanged"): for the CLI and the editor.
 */
/** The tags a copy wrote or moved: those it found as they were (`unchanged`) are not among them. */
export function tagsMoved(summary: CopyTagsSummary): number {
  return summary.tags.filter((t) => !t.unchanged).length;
}

export function formatCopyTagsSummary(summary: CopyTagsSummary): string {
  const moved = `${counted(summary.manifests, 'manifest')}, ${counted(summary.referrers, 'referrer')}, ${counted(summary.blobs, 'blob')}, ${formatBytes(summary.bytes)}`;
  const replaced = summary.tags.filter((t) => t.replaced).map((t) => printable(t.tag));
  const shown = replaced.slice(0, MAX_TAGS_SHOWN).join(', ') + (replaced.length > MAX_TAGS_SHOWN ? ', …' : '');
  const retagged = replaced.length ? `; ${counted(replaced.length, 'tag')} moved from another digest: ${shown}` : '';
  const unchanged = summary.tags.filter((t) => t.unchanged).length;
  const same = unchanged ? `; ${counted(unchanged, 'tag')} unchanged` : '';
  // "0 already there (0 B) skipped" told nothing: said only when something was.
  const skipped = summary.skipped
    ? `; ${summary.skipped} already there (${formatBytes(summary.skippedBytes)}) skipped`
    : '';
  return `${moved}${skipped}${retagged}${same}`;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
