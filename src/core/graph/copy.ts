// Copy is one graph walk: a manifest's children go first (blobs in parallel, bounded), then the manifest,
// then — when asked — its referrers, recursively. Push of files and pull into a store are this walk too.
import { setMaxListeners } from 'node:events';
import { Readable, Transform } from 'node:stream';
import {
  isIndex,
  type Descriptor,
  type Manifest,
  OciError,
  throwIfAborted,
  isManifestOrIndex,
  isManifestType,
} from '../oci';
import {
  type BlobContent,
  createLimiter,
  type FetchedManifest,
  type Limiter,
  fileBlobContent,
  isBlobFileSource,
  isBlobReadChecker,
  isMounter,
  isUnverifiedBlobReader,
  keepsWholeGraphs,
  linkedAbort,
  type Mounter,
  type ReadOnlyTarget,
  type Target,
  type UnverifiedBlobReader,
} from '../content';
import { listReferrers, type ListReferrersOptions, type Referrer, referrerEntry, type TagNames } from './referrers';
import { indexReferrer, listIfMissing } from './fallbackIndex';
import { describeNotAReferrer, type NotAReferrer, type ReferrerJudge, referrerJudge } from './referrerSubject';

export interface CopyProgress {
  totalBytes: number;
  doneBytes: number;
  totalItems: number;
  doneItems: number;
  skippedItems: number;
}

export interface CopyOptions {
  /** Tag for the root at the destination. */
  tag?: string;
  /**
   * Called just before `tag` is written (the root pushed under it, or tagged after its graph): copyTags asks the
   * destination's tag again there and throws to leave a tag pushed there since it last looked.
   */
  beforeTag?: () => Promise<void>;
  /** Copy referrers of every manifest copied, recursively. */
  referrers?: boolean;
  /** Read the source's referrers from one place only (ORAS's --from-distribution-spec); default every place. */
  referrersFrom?: ListReferrersOptions['only'];
  /**
   * List each referrer in the destination's fallback tag even where its referrers API indexed it (ORAS's
   * --to-distribution-spec v1.1-referrers-tag, for clients that read only the tag).
   */
  fallbackTagAlways?: boolean;
  concurrency?: number;
  /**
   * Ask the destination for every node under a manifest it holds (regctl's --force-recursive): the repair of a
   * registry that lost a blob or a child manifest. By default a registry's manifest stands for its whole graph.
   */
  checkEveryNode?: boolean;
  /**
   * Every tag of the source, when the caller read the whole list: the fallback tag `sha256-<hex>` and cosign's
   * `.sig/.att/.sbom` tags not in it are known absent, not asked about (see ListReferrersOptions.tagsListed).
   */
  sourceTags?: TagNames;
  /** Refuse graphs with more nodes than this (hostile fan-out). */
  maxNodes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Readonly<CopyProgress>) => void;
  /** Blobs the caller already stored at the destination in this operation: neither checked again nor counted. */
  stored?: ReadonlySet<string>;
  /** Called once per node when it is done: copied or found there (`skipped`), reached as a referrer or not. */
  onItem?: (descriptor: Descriptor, outcome: CopyItemOutcome) => void;
}

export interface CopyItemOutcome {
  skipped: boolean;
  /** A manifest or index (else a blob). */
  manifest: boolean;
  /** Reached through the referrers of a subject (a signature, an SBOM…), not as a child. */
  referrer: boolean;
  /** A referrer's artifact type as its listing gave it (what it is: a signature, an SBOM…). */
  artifactType?: string;
}

export const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_NODES = 100_000;
/** Listed referrers judged, then copied, at a time: what a listing holds in memory at once. */
const JUDGED_AT_ONCE = 64;

export interface CopyResult {
  descriptor: Descriptor;
  progress: CopyProgress;
  /**
   * Referrers the destination refused as unsupported (ECR refuses referrers of an index): the rest of the graph
   * was copied; each names the referrer and the registry's reason. Absent when there were none.
   */
  refusedReferrers?: RefusedReferrer[];
  /** Manifests a listing named as referrers that are not (their own subject is another, or none): not copied. */
  notReferrers?: NotAReferrer[];
}

export interface RefusedReferrer {
  digest: string;
  artifactType?: string;
  subject: string;
  reason: string;
}

/** Every referrer a copy left behind, one line each: refused by the destination or not a referrer at all. */
export function describeReferrersLeft(result: CopyResult): string[] {
  return [
    ...(result.notReferrers ?? []).map((r) => describeNotAReferrer(r, 'copy')),
    ...(result.refusedReferrers ?? []).map((r) => `referrer ${r.digest} of ${r.subject} not copied: ${r.reason}`),
  ];
}

/**
 * Copies the graph under `ref` (tag, digest or descriptor) from `src` (any store, or a prepared graph of files to
 * push) to `dst`.
 */
export async function copy(
  src: ReadOnlyTarget,
  ref: string | Descriptor,
  dst: Target,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const named = typeof ref === 'string' ? await src.fetchManifest(ref, { signal: options.signal }) : undefined;
  const root = named?.descriptor ?? (ref as Descriptor);
  // The first failure stops the whole walk: without this, siblings of a refused node (a hostile fan-out) keep
  // fetching and counting in the background long after the caller got its error.
  // Linked, not AbortSignal.any: that kept a reference per copy in the caller's signal for its whole life.
  const stop = linkedAbort(options.signal);
  const { signal } = stop;
  // Every request in flight listens to it: at high concurrency that is more than Node's leak warning expects.
  setMaxListeners(0, signal);
  const walk = new GraphWalk(src, dst, { ...options, signal });
  if (named) walk.readAlready(named);
  try {
    await walk.copyManifest(root, options.tag, []);
    await walk.settleDeferred();
    await walk.listStoredReferrers();
  } catch (err) {
    stop.abort(err);
    // The caller hears of the failure only once every transfer it started has stopped and cleaned up after
    // itself (a temp file of a blob half-written): nothing changes on disk after the error is reported.
    await walk.stopped();
    throw err;
  } finally {
    stop.unlink();
  }
  const result: CopyResult = { descriptor: root, progress: { ...walk.progress } };
  if (walk.refused.length) result.refusedReferrers = walk.refused;
  if (walk.judge.refused.length) result.notReferrers = [...walk.judge.refused];
  return result;
}

class GraphWalk {
  readonly progress: CopyProgress = { totalBytes: 0, doneBytes: 0, totalItems: 0, doneItems: 0, skippedItems: 0 };
  private readonly blobs: Limiter;
  private readonly manifests: Limiter;
  private readonly done = new Map<string, Promise<void>>();
  private readonly referrersDone = new Set<string>();
  /** Referrers listed so far (each costs a read to judge), against the node limit. */
  private listedReferrers = 0;
  /** Manifests, and those reached as referrers, for onItem. */
  private readonly manifestNodes = new Set<string>();
  /** Referrers reached, with the artifact type their listing gave (the copied descriptor leaves it out). */
  private readonly referrerNodes = new Map<string, string | undefined>();
  /** Blobs skipped because the destination said it holds them: read back should it refuse a manifest for one. */
  private readonly takenOnItsWord = new Set<string>();
  /**
   * Referrers found stored at the destination already, by subject: each subject's fallback index is read once when
   * the walk is done, and what it lacks added in one write (see listIfMissing).
   */
  private readonly storedReferrers = new Map<string, Map<string, Descriptor>>();
  /** Tags for referrers met again through the referrer graph, applied once the walk has stored them. */
  private readonly deferred: Promise<void>[] = [];
  readonly refused: RefusedReferrer[] = [];
  /** A fallback index is anyone's claim: each listed referrer's own subject decides whether it is copied. */
  readonly judge: ReferrerJudge;
  /** Manifests read ahead (by the judge, or the root by its name), kept until the walk copies them (or forever,
   * for the few the judge refused). */
  private readonly judged = new Map<string, Promise<FetchedManifest>>();
  private readonly signal?: AbortSignal;

  constructor(
    private readonly src: ReadOnlyTarget,
    private readonly dst: Target,
    private readonly options: CopyOptions,
  ) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.blobs = createLimiter(concurrency);
    this.manifests = createLimiter(concurrency);
    this.signal = options.signal;
    this.judge = referrerJudge(src, options.signal, (descriptor) => {
      const fetched = this.fetch(descriptor);
      this.judged.set(descriptor.digest, fetched);
      return fetched;
    });
  }

  /** The root, read to resolve the name it was given by: not read again. */
  readAlready(fetched: FetchedManifest): void {
    this.judged.set(fetched.descriptor.digest, Promise.resolve(fetched));
  }

  /** A manifest from the source; one the judge read already (a referrer about to be copied) is not read again. */
  private fetch(descriptor: Descriptor): Promise<FetchedManifest> {
    const judged = this.judged.get(descriptor.digest);
    if (judged) {
      this.judged.delete(descriptor.digest);
      return judged;
    }
    return this.manifests(() => {
      throwIfAborted(this.signal);
      return this.src.fetchManifest(descriptor, { signal: this.signal });
    });
  }

  async copyManifest(descriptor: Descriptor, tag: string | undefined, ancestors: readonly string[]): Promise<void> {
    throwIfAborted(this.signal);
    if (ancestors.includes(descriptor.digest)) {
      throw new OciError(
        'INVALID_CONTENT',
        `${this.src.location}: manifest ${descriptor.digest} refers to itself through its children (a cycle)`,
      );
    }
    let pending = this.done.get(descriptor.digest);
    let taggedOnPush = false;
    if (!pending) {
      this.manifestNodes.add(descriptor.digest);
      this.countNode(descriptor);
      pending = this.copyManifestOnce(descriptor, [...ancestors, descriptor.digest], tag).then((tagged) => {
        taggedOnPush = tagged;
      });
      this.done.set(descriptor.digest, pending);
    }
    await pending;
    // Every store tags with the type the manifest's bytes declare, not the descriptor's (a HEAD's Content-Type).
    if (tag && !taggedOnPush) {
      await this.beforeTagging(tag);
      await this.dst.tag(descriptor, tag, { signal: this.signal });
    }
  }

  /** The caller's last word before the root's tag is written (CopyOptions.beforeTag); referrers' tags are not its. */
  private async beforeTagging(tag: string | undefined): Promise<void> {
    if (tag !== undefined && tag === this.options.tag) await this.options.beforeTag?.();
  }

  /** Copies one manifest and its graph; true when it was pushed under `tag` (so it needs no tagging after). */
  private async copyManifestOnce(
    descriptor: Descriptor,
    path: readonly string[],
    tag: string | undefined,
  ): Promise<boolean> {
    const present = await this.dst.exists(descriptor, { signal: this.signal });
    if (present && keepsWholeGraphs(this.dst) && !this.options.checkEveryNode) {
      await this.walkPresent(descriptor, path);
      return false;
    }
    const fetched = await this.fetch(descriptor);
    const { manifest } = fetched;
    let tagged = false;
    // Elsewhere a manifest already at the destination does not prove its children are: a copy cut short, a blob
    // removed by hand or by another tool's gc. Its children are checked (exists only: nothing moves that is there)
    // and whatever is missing is filled, so a rerun repairs what a failure left (resumable backup relies on it).
    await Promise.all(childrenOf(manifest).map((child) => this.copyChild(child, path)));
    if (present) {
      this.noteStored(descriptor, manifest);
      this.finishItem(descriptor, true);
    } else {
      // Pushing under the tag saves tagging after (a registry tags by fetching and re-putting the manifest).
      // With referrers the tag still comes last, once the whole graph arrived.
      const pushTag = this.options.referrers ? undefined : tag;
      await this.beforeTagging(pushTag);
      const result = await this.pushManifest(
        { ...descriptor, mediaType: fetched.descriptor.mediaType },
        fetched,
        pushTag,
      );
      tagged = pushTag !== undefined;
      const indexed = result.subjectIndexed && !this.options.fallbackTagAlways;
      await indexReferrer(this.dst, descriptor, manifest, indexed, this.signal);
      this.finishItem(descriptor, false);
    }
    // A manifest already at the destination may still lack its referrers, so they are walked either way.
    if (this.options.referrers) await this.copyReferrers(descriptor);
    return tagged;
  }

  /**
   * A manifest with a subject, found stored: a run may have ended between storing it and listing it in its
   * subject's fallback index, so the rerun checks that list once the walk is done (listStoredReferrers).
   */
  private noteStored(descriptor: Descriptor, manifest: Manifest): void {
    const subject = manifest.subject?.digest;
    if (typeof subject !== 'string') return;
    let entries = this.storedReferrers.get(subject);
    if (!entries) this.storedReferrers.set(subject, (entries = new Map()));
    entries.set(descriptor.digest, referrerEntry(descriptor, manifest));
  }

  /** Lists in its subject's fallback index each referrer found stored and missing there: a write per subject. */
  async listStoredReferrers(): Promise<void> {
    for (const [subject, entries] of this.storedReferrers)
      await listIfMissing(this.dst, subject, [...entries.values()], {
        always: this.options.fallbackTagAlways,
        signal: this.signal,
      });
  }

  /**
   * A manifest a registry holds stands for its graph (WholeGraphKeeper): its blobs are not asked for, nor is the
   * manifest read. Only with referrers is anything walked: an index's manifests (read from the index), since their
   * referrers may be new, and its own referrers. A referrer's manifest was read to judge it: its subject's
   * fallback index is checked for it (noteStored), for no read more.
   */
  private async walkPresent(descriptor: Descriptor, path: readonly string[]): Promise<void> {
    // An entry whose type is not known to be a plain manifest is read to find out (a listing's word only).
    if (this.options.referrers && !isManifestType(descriptor.mediaType)) {
      const { manifest } = await this.fetch(descriptor);
      if (this.referrerNodes.has(descriptor.digest)) this.noteStored(descriptor, manifest);
      await Promise.all(
        childrenOf(manifest)
          .filter((child) => isManifestOrIndex(child.mediaType))
          .map((child) => this.copyManifest(child, undefined, path)),
      );
    } else if (this.referrerNodes.has(descriptor.digest) && this.judged.has(descriptor.digest))
      this.noteStored(descriptor, (await this.fetch(descriptor)).manifest);
    else this.judged.delete(descriptor.digest);
    this.finishItem(descriptor, true);
    if (this.options.referrers) await this.copyReferrers(descriptor);
  }

  /**
   * Pushes a manifest; when the destination refuses it for a blob it said it holds (a blob HEAD answered 200 for a
   * blob it cannot serve: some Artifactory versions, distribution-spec#569), the blobs skipped on its word are read
   * back by GET, those it lacks are sent, and the manifest is pushed once more.
   */
  private async pushManifest(descriptor: Descriptor, fetched: FetchedManifest, tag: string | undefined) {
    const push = () => this.dst.pushManifest(descriptor, fetched.bytes, { signal: this.signal, tag });
    try {
      return await push();
    } catch (err) {
      const dst = this.dst;
      if (!refusedForABlob(err) || !isBlobReadChecker(dst)) throw err;
      const lacking: Descriptor[] = [];
      for (const child of childrenOf(fetched.manifest)) {
        if (isManifestOrIndex(child.mediaType) || !this.takenOnItsWord.has(child.digest)) continue;
        if (!(await dst.blobReadable(child.digest, { signal: this.signal }))) lacking.push(child);
      }
      if (!lacking.length) throw err;
      await Promise.all(lacking.map((child) => this.blobs(() => this.sendBlob(child, false))));
      for (const child of lacking) this.takenOnItsWord.delete(child.digest);
      return push();
    }
  }

  private async copyChild(child: Descriptor, path: readonly string[]): Promise<void> {
    if (isManifestOrIndex(child.mediaType)) return this.copyManifest(child, undefined, path);
    if (this.options.stored?.has(child.digest)) return undefined;
    if (this.done.has(child.digest)) return this.done.get(child.digest);
    this.countNode(child);
    const pending = this.blobs(() => this.copyBlob(child));
    this.done.set(child.digest, pending);
    return pending;
  }

  private async copyReferrers(subject: Descriptor): Promise<void> {
    if (this.referrersDone.has(subject.digest)) return;
    this.referrersDone.add(subject.digest);
    const listed = await listReferrers(this.src, subject.digest, {
      only: this.options.referrersFrom,
      // No type filter here, so an entry's missing type is not worth a read (the copy takes types from manifests).
      deferTypes: true,
      tagsListed: this.options.sourceTags,
      signal: this.signal,
    });
    // Judging costs a manifest read per listed referrer, before any of them counts as a node: the listings are
    // bounded by the same node limit, so a hostile listing of thousands is refused instead of read one by one.
    this.listedReferrers += listed.length;
    const max = this.options.maxNodes ?? DEFAULT_MAX_NODES;
    if (this.listedReferrers > max)
      throw new OciError(
        'SIZE_EXCEEDED',
        `${this.src.location}: ${subject.digest} lists ${listed.length} referrers${this.listedReferrers > listed.length ? ` (${this.listedReferrers} across the graph so far)` : ''}, more than the ${max} a copy reads; refusing to copy it`,
      );
    // Judged and copied a batch at a time: the manifests read to judge a listing of 100,000 are never all held at
    // once (a refused one is let go at once; a kept one when it is copied).
    for (let at = 0; at < listed.length; at += JUDGED_AT_ONCE) {
      const batch = listed.slice(at, at + JUDGED_AT_ONCE);
      const referrers = await this.judge.keep(subject.digest, batch);
      const kept = new Set(referrers.map((r) => r.descriptor.digest));
      for (const r of batch) if (!kept.has(r.descriptor.digest)) this.judged.delete(r.descriptor.digest);
      await this.copyJudgedReferrers(subject, referrers);
    }
  }

  /**
   * Copies referrers judged to be `subject`'s. cosign's tag-named referrers keep their tag; the others are found
   * through the subject at the destination. A referrer already being copied is not awaited here: forged fallback
   * tags can make the referrer graph cyclic (a refers to b, b to a), and waiting on a node that waits on us would
   * never finish. Whoever started that node awaits it.
   */
  private async copyJudgedReferrers(subject: Descriptor, referrers: readonly Referrer[]): Promise<void> {
    await Promise.all(
      referrers.map((r) => {
        const descriptor = { ...r.descriptor, artifactType: undefined, annotations: undefined };
        const pending = this.done.get(descriptor.digest);
        this.referrerNodes.set(descriptor.digest, r.descriptor.artifactType);
        if (!pending)
          return this.copyManifest(descriptor, r.tag, []).catch((err: unknown) => {
            // A registry that does not take this kind of referrer should not cost the user the rest of the copy.
            if (!OciError.is(err, 'UNSUPPORTED')) throw err;
            this.refused.push({
              digest: descriptor.digest,
              ...(r.descriptor.artifactType ? { artifactType: r.descriptor.artifactType } : {}),
              subject: subject.digest,
              reason: err.message,
            });
          });
        if (r.tag) this.deferred.push(pending.then(() => this.dst.tag(descriptor, r.tag!, { signal: this.signal })));
        return undefined;
      }),
    );
  }

  /** Resolves when every blob transfer started has ended, however it ended. */
  async stopped(): Promise<void> {
    await Promise.allSettled([...this.done.values(), ...this.deferred]);
  }

  async settleDeferred(): Promise<void> {
    // Deferred work can add more deferred work only through referrers, which are walked once each: bounded.
    for (let settled = 0; settled < this.deferred.length; settled = this.deferred.length)
      await Promise.all(this.deferred.slice(settled));
  }

  private async copyBlob(descriptor: Descriptor): Promise<void> {
    throwIfAborted(this.signal);
    if (await this.dst.exists(descriptor, { signal: this.signal })) {
      this.takenOnItsWord.add(descriptor.digest);
      this.finishItem(descriptor, true);
      return;
    }
    await this.sendBlob(descriptor, true);
  }

  /** Mounts or uploads a blob; `counted`: its bytes and its end show in the progress (not when sent again). */
  private async sendBlob(descriptor: Descriptor, counted: boolean): Promise<void> {
    const mount = mountSource(this.src, this.dst);
    if (mount && (await mount.into.mountBlob(descriptor, mount.from, { signal: this.signal }).catch(() => false))) {
      if (counted) this.finishItem(descriptor, false);
      return;
    }
    const onBytes = (delta: number) => {
      if (!counted) return;
      this.progress.doneBytes += delta;
      this.report();
    };
    const open = (offset: number, signal?: AbortSignal) => openAt(this.src, descriptor, offset, signal ?? this.signal);
    const file = isBlobFileSource(this.src) ? await this.src.blobFile(descriptor) : undefined;
    const content = file
      ? fileBlobContent(file.path, open, file.checked, file.range)
      : isUnverifiedBlobReader(this.src)
        ? rawChunksContent(this.src, descriptor, open, this.signal)
        : open;
    await this.dst.pushBlob(descriptor, content, { signal: this.signal, onBytes });
    if (counted) this.finishItem(descriptor, false, true);
  }

  private countNode(descriptor: Descriptor): void {
    this.progress.totalItems++;
    this.progress.totalBytes += descriptor.size;
    this.refuseOverLimit(this.progress.totalItems, 'nodes');
    this.report();
  }

  private refuseOverLimit(count: number, what: string): void {
    const max = this.options.maxNodes ?? DEFAULT_MAX_NODES;
    if (count > max)
      throw new OciError(
        'SIZE_EXCEEDED',
        `${this.src.location}: the graph has more than ${max} ${what}; refusing to copy it`,
      );
  }

  private finishItem(descriptor: Descriptor, skipped: boolean, bytesCounted = false): void {
    this.progress.doneItems++;
    if (skipped) this.progress.skippedItems++;
    if (!bytesCounted || skipped) this.progress.doneBytes += descriptor.size;
    const artifactType = this.referrerNodes.get(descriptor.digest);
    this.options.onItem?.(descriptor, {
      skipped,
      manifest: this.manifestNodes.has(descriptor.digest),
      referrer: this.referrerNodes.has(descriptor.digest),
      ...(artifactType !== undefined ? { artifactType } : {}),
    });
    this.report();
  }

  private report(): void {
    this.options.onProgress?.(this.progress);
  }
}

/** Within one registry a blob can be mounted from the source repository instead of uploaded again. */
function mountSource(src: ReadOnlyTarget, dst: Target): { into: Mounter; from: string } | undefined {
  if (!isMounter(src) || !isMounter(dst)) return undefined;
  const from = src.mountOrigin;
  const to = dst.mountOrigin;
  return from.host === to.host && from.repository !== to.repository ? { into: dst, from: from.repository } : undefined;
}

/** The descriptors a manifest or index points to (not its subject: that is its parent in the referrer graph). */
export function childrenOf(manifest: Manifest): Descriptor[] {
  if (isIndex(manifest)) return manifest.manifests;
  return [manifest.config, ...manifest.layers].filter((d): d is Descriptor => d !== undefined);
}

/**
 * `open`, and the raw chunks of the download for a store that hashes what it writes (a layout): one async
 * iteration per chunk fewer than through the stream, as a pull reads them.
 */
function rawChunksContent(
  src: UnverifiedBlobReader,
  descriptor: Descriptor,
  open: BlobContent,
  copySignal: AbortSignal | undefined,
): BlobContent {
  return Object.assign(open, {
    rawChunks: (signal?: AbortSignal) => src.fetchBlobUnverified(descriptor, { signal: signal ?? copySignal }),
  });
}

/** Opens a blob from an offset: resumed uploads need the rest of the bytes only. */
async function openAt(
  src: ReadOnlyTarget,
  descriptor: Descriptor,
  offset: number,
  signal?: AbortSignal,
): Promise<Readable> {
  // From the start, a source that can hand out raw bytes does: every destination hashes what it stores (a
  // layout on the hashing thread, as a pull does), so checking them here as well would hash them twice.
  if (offset === 0 && isUnverifiedBlobReader(src))
    return Readable.from(await src.fetchBlobUnverified(descriptor, { signal }), { objectMode: false });
  const stream = await src.fetchBlob(descriptor, { signal });
  if (offset === 0) return stream;
  const rest = skipBytes(offset);
  stream.on('error', (err) => rest.destroy(err));
  return stream.pipe(rest);
}

function skipBytes(count: number): Transform {
  let remaining = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (remaining >= chunk.length) {
        remaining -= chunk.length;
        callback();
        return;
      }
      const rest = remaining > 0 ? chunk.subarray(remaining) : chunk;
      remaining = 0;
      callback(null, rest);
    },
  });
}

/** A manifest refused for a blob it names: distribution's MANIFEST_BLOB_UNKNOWN, Artifactory's MANIFEST_INVALID. */
export function refusedForABlob(err: unknown): boolean {
  return (
    OciError.is(err, 'REGISTRY') && /\b(?:MANIFEST_BLOB_UNKNOWN|BLOB_UNKNOWN|MANIFEST_INVALID)\b/.test(err.message)
  );
}
