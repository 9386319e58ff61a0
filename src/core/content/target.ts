// One interface for every store: a registry repository and an OCI image layout both implement Target,
// so push, pull, copy and attach are one graph walk over it (see graph/copy.ts and graph/referrers.ts). What only
// some stores can do is a small capability interface with a type guard, never an optional method.
import type { Readable } from 'node:stream';
import type { Descriptor, Manifest } from '../oci';
import type { FileIdentity } from './noSymlinks';
import type { TagListing } from './tagPages';

/**
 * Opens a blob's bytes from `offset` (0 for all of it). Reopening is what makes retries and resumed uploads
 * possible without holding a blob in memory: a file reopens at an offset, a registry blob with a Range request.
 */
export type BlobContent = ((offset: number, signal?: AbortSignal) => Promise<Readable>) & {
  /**
   * A local file holding exactly the blob's bytes, when there is one: stores then read it through reused buffers
   * (see fileChunks.ts) instead of opening the stream, still checking size and digest.
   */
  readonly file?: string;
  /**
   * Set when `file` was checked without following links (a layout's blob): it is then read only as that very
   * file, never through a link swapped in since (see noSymlinks.ts).
   */
  readonly fileChecked?: FileIdentity;
  /**
   * Set when the blob is a byte range of `file` rather than all of it (a blob inside a layout archive): only
   * these bytes are read, and nothing that takes `file` whole (a layout archive naming a local blob) may use it.
   */
  readonly fileRange?: FileRange;
  /**
   * The blob's bytes from the start as chunks that each own their memory, unchecked (a registry download): a store
   * that hashes what it writes takes these, the way a pull does, rather than the stream built over them.
   */
  readonly rawChunks?: (signal?: AbortSignal) => Promise<AsyncIterable<Buffer>>;
};

/** Where a blob's bytes sit inside a larger file. */
export interface FileRange {
  offset: number;
  size: number;
  /**
   * What errors call these bytes ("oci-archive:/x.tar: blob sha256:…"): a range cut short or not the blob is
   * the archive's fault, not the store it is copied to.
   */
  what?: string;
}

/** Content backed by a local file (see BlobContent.file), checked as `checked` when that is given. */
export function fileBlobContent(
  file: string,
  open: (offset: number, signal?: AbortSignal) => Promise<Readable>,
  checked?: FileIdentity,
  range?: FileRange,
): BlobContent {
  return Object.assign(open, { file }, checked ? { fileChecked: checked } : {}, range ? { fileRange: range } : {});
}

/** A local file holding a blob's bytes (see BlobFileSource), with its identity when it was checked. */
export interface BlobFile {
  path: string;
  checked?: FileIdentity;
  /** The blob is these bytes of the file only (see BlobContent.fileRange). */
  range?: FileRange;
}

/** How every store method takes cancellation: a trailing options object, never a bare signal. */
export interface Cancellable {
  signal?: AbortSignal;
}

/** How far a store's final write is (a layout archive written whole): bytes and files. */
export interface WriteProgress {
  doneBytes: number;
  totalBytes: number;
  doneItems: number;
  totalItems: number;
  skippedItems: number;
}

export interface FinishOptions extends Cancellable {
  /** Called as the final write goes (an archive of gigabytes takes seconds after the last byte was fetched). */
  onProgress?: (progress: Readonly<WriteProgress>) => void;
}

export interface TransferOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes just moved (a delta), for progress bars. */
  onBytes?: (delta: number) => void;
}

export interface UnhashedBlobOptions extends TransferOptions {
  /** Fail unless exactly this many bytes arrive (a file that changed while it was sent). */
  expectedSize?: number;
}

export interface FetchedManifest {
  /** The manifest's descriptor as resolved (mediaType from the content or the server, digest of the raw bytes). */
  descriptor: Descriptor;
  /** The raw bytes, verified against the digest: the source of truth, never re-serialised. */
  bytes: Buffer;
  manifest: Manifest;
}

export interface PushManifestResult {
  /** True when the store indexed the manifest's subject itself (registry answered OCI-Subject). */
  subjectIndexed: boolean;
}

/**
 * The read half of a store: what a graph walk reads from. Every Target is one; so is a source that only serves a
 * prepared graph (files about to be pushed).
 */
export interface ReadOnlyTarget {
  /** Where this store is, for messages: "127.0.0.1:5000/demo" or "oci:/path/to/layout". */
  readonly location: string;

  /** The descriptor of the manifest a tag or digest names (NotFoundError when there is none). */
  resolve(tagOrDigest: string, options?: Cancellable): Promise<Descriptor>;
  /** A manifest or index by tag, digest or descriptor: raw bytes, verified, capped at 4 MiB. */
  fetchManifest(ref: string | Descriptor, options?: Cancellable): Promise<FetchedManifest>;
  /** A blob as a stream that verifies size and digest and fails at its end on a mismatch. */
  fetchBlob(descriptor: Descriptor, options?: TransferOptions): Promise<Readable>;
  /** Whether the blob or manifest with this digest is stored. */
  exists(descriptor: Descriptor, options?: Cancellable): Promise<boolean>;
}

/**
 * A store: a registry repository, an OCI layout, memory. What only some stores can do is a separate capability
 * below (Mounter, ReferrersLister, ReferrersLock, Untagger, ManifestReleaser, UnhashedBlobPusher,
 * UnverifiedBlobReader, BlobFileSource), asked for with its type guard, never by the store's type.
 */
export interface Target extends ReadOnlyTarget {
  readonly kind: 'registry' | 'layout' | 'memory';

  /** Stores a blob, verifying size and digest while streaming; nothing is kept when they differ. */
  pushBlob(descriptor: Descriptor, content: BlobContent, options?: TransferOptions): Promise<void>;
  /** Stores a manifest or index (its raw bytes) and, with `tag`, tags it. */
  pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options?: { tag?: string; signal?: AbortSignal },
  ): Promise<PushManifestResult>;
  /**
   * Points `tag` at an existing manifest. Stores that record a type with the tag take the one the manifest's bytes
   * declare (taggedMediaType): the descriptor's may be a HEAD's Content-Type.
   */
  tag(descriptor: Descriptor, tag: string, options?: Cancellable): Promise<void>;
  /** Tags, a page at a time (registries that ignore paging yield one page). A prepared graph has none. */
  listTags(options?: TagListing): AsyncIterable<string[]>;
  /** Removes a manifest by digest (and so every tag naming it). */
  deleteManifest(descriptor: Descriptor, options?: Cancellable): Promise<void>;
}

/** True when `store` has a method called `name`: the one test behind every capability guard. */
function hasMethod(store: unknown, name: string): boolean {
  return typeof (store as Record<string, unknown> | undefined)?.[name] === 'function';
}

/**
 * A store that hands out a blob's bytes as they arrive, NOT verified: for a consumer that hashes them where it
 * writes them (another thread). Offered where that saves work (registry downloads).
 */
export interface UnverifiedBlobReader {
  /** Each chunk is the consumer's to keep or give away. */
  fetchBlobUnverified(descriptor: Descriptor, options?: TransferOptions): Promise<AsyncIterable<Buffer>>;
}

export function isUnverifiedBlobReader(store: unknown): store is UnverifiedBlobReader {
  return hasMethod(store, 'fetchBlobUnverified');
}

/**
 * A store that takes a blob whose digest is not known yet, hashing it as it streams: one read of a large file
 * instead of one to name it and one to send it. The price is that a blob the store already holds is sent again.
 */
export interface UnhashedBlobPusher {
  pushUnhashedBlob(content: BlobContent, options?: UnhashedBlobOptions): Promise<{ digest: string; size: number }>;
}

export function isUnhashedBlobPusher(store: unknown): store is UnhashedBlobPusher {
  return hasMethod(store, 'pushUnhashedBlob');
}

/** A store that removes one tag and leaves the manifest (layouts, memory; registries cannot). */
export interface Untagger {
  untag(tag: string, options?: Cancellable): Promise<void>;
}

export function isUntagger(store: unknown): store is Untagger {
  return hasMethod(store, 'untag');
}

/**
 * A store that can drop a manifest nothing names any more (layouts: a superseded referrers index would stay in
 * blobs/ until garbage collection). A registry cannot tell what names a manifest: graph/fallbackIndex.ts deletes a
 * superseded index there by digest, with the care that takes (a delete takes every tag of the digest along).
 */
export interface ManifestReleaser {
  /**
   * Removes the stored manifest `descriptor` when no tag or entry of the store names it and no index the store
   * holds lists it; false when it stays. Atomic with the store's own writes.
   */
  releaseManifest(descriptor: Descriptor, options?: ReleaseOptions): Promise<boolean>;
}

export interface ReleaseOptions extends Cancellable {
  /**
   * Keep the manifest when it was written or pushed again at or after this time (ms since the epoch): another
   * writer may be about to tag or list it.
   */
  untouchedSince?: number;
}

export function isManifestReleaser(store: unknown): store is ManifestReleaser {
  return hasMethod(store, 'releaseManifest');
}

/**
 * A store whose user hears of a clean-up that failed after a write succeeded (a superseded referrers index left
 * behind): a registry says it where its own warnings go (the CLI's stderr; the editor's log and a notification).
 */
export interface Warner {
  warn(text: string): void;
}

export function isWarner(store: unknown): store is Warner {
  return hasMethod(store, 'warn');
}

/** A store that may have a native referrers API (registries that answer it; memory in that mode). */
export interface ReferrersLister {
  /**
   * Referrers from the API, or undefined when this store turns out to have none — then callers use the fallback
   * tag `<alg>-<encoded>` (see graph/referrers.ts).
   */
  nativeReferrers(
    digest: string,
    options?: { artifactType?: string; signal?: AbortSignal },
  ): Promise<Descriptor[] | undefined>;
}

export function isReferrersLister(store: unknown): store is ReferrersLister {
  return hasMethod(store, 'nativeReferrers');
}

/**
 * A store that can keep every other writer, in any process, from updating its referrers indexes while `work`
 * runs (layouts by a lock file, memory in process): the fallback-index update is then atomic. Registries cannot
 * lock, and rely on read-back and retry.
 */
export interface ReferrersLock {
  withReferrersLock<T>(work: () => Promise<T>, options?: Cancellable): Promise<T>;
}

export function isReferrersLock(store: unknown): store is ReferrersLock {
  return hasMethod(store, 'withReferrersLock');
}

/**
 * A store whose writes only take effect when the work is finished (a layout archive: it is rewritten as a whole,
 * into a temp file renamed over the old one). Whoever opened the store for writing calls `finish` once the work
 * succeeded; after a failure nothing is finished and what was written stays staged for a rerun to reuse.
 */
export interface Finisher {
  /** Makes the writes so far durable; does nothing when there were none. Safe to call more than once. */
  finish(options?: FinishOptions): Promise<void>;
  /** Where writes not finished yet wait (for a message after a failure), or undefined when there are none. */
  stagedIn(): string | undefined;
  /**
   * Ends this writer's turn without finishing (after a failure): the writes stay staged for a rerun, and other
   * writers of the store, waiting on its lock, may go on. Safe to call at any time, and more than once.
   */
  release(): Promise<void>;
}

export function isFinisher(store: unknown): store is Finisher {
  return hasMethod(store, 'finish');
}

/**
 * A store whose tags live in one file written whole (a layout's index.json): a run of many tags has it gather the
 * tags it sets and write them together now and then, instead of the whole file once per manifest tagged. What the
 * store's other readers see meanwhile is the store's to say (LayoutTarget: indexBatch.ts).
 */
export interface IndexBatcher {
  withBatchedIndex<T>(work: () => Promise<T>): Promise<T>;
}

/** Runs `work` in a batch of `store`'s index writes where it has them (IndexBatcher), else as it is. */
export function withBatchedIndex<T>(store: unknown, work: () => Promise<T>): Promise<T> {
  return hasMethod(store, 'withBatchedIndex') ? (store as IndexBatcher).withBatchedIndex(work) : work();
}

/**
 * A store whose batch of tags (IndexBatcher) can be written before the batch ends: a run that stops says how many of
 * its tags a reader of the store sees, and a tag waiting in the batch is not one of them until it is written.
 */
export interface PendingTagWriter {
  /**
   * Writes the tags the batch under way holds, as its end would; resolves to those still not written and, when the
   * write failed, its error.
   */
  writePendingTags(): Promise<PendingTagsWritten>;
}

export interface PendingTagsWritten {
  unlisted: ReadonlySet<string>;
  /** Why the write failed (a full disk), when it left tags unlisted. */
  error?: unknown;
}

/**
 * The tags `store` holds but does not list after one more write of them (none where it lists each tag as set), and
 * the error of that write when it failed.
 */
export async function writePendingTags(store: unknown): Promise<PendingTagsWritten> {
  return hasMethod(store, 'writePendingTags')
    ? (store as PendingTagWriter).writePendingTags()
    : { unlisted: new Set<string>() };
}

/** A source that can name a local file holding exactly a blob's bytes (see BlobContent.file). */
export interface BlobFileSource {
  /** The file, or undefined when this blob has none. */
  blobFile(descriptor: Descriptor): Promise<BlobFile | undefined>;
}

export function isBlobFileSource(store: unknown): store is BlobFileSource {
  return hasMethod(store, 'blobFile');
}

/**
 * A store that can lend blobs to, or borrow them from, another repository of the same registry without the bytes
 * crossing the client (a cross-repository mount). The graph walk asks for this capability, never for a store type.
 */
export interface Mounter {
  /** Where blobs can be mounted from or into: the registry host and the repository. */
  readonly mountOrigin: { host: string; repository: string };
  /** Cross-repository mount within one registry; false when the registry did not mount it. */
  mountBlob(descriptor: Descriptor, fromRepository: string, options?: Cancellable): Promise<boolean>;
}

export function isMounter(store: unknown): store is Mounter {
  return hasMethod(store, 'mountBlob') && typeof (store as Partial<Mounter>).mountOrigin?.host === 'string';
}

/** A store that tells a blob's size by its digest alone (`blob fetch <name>@<digest>` knows no descriptor). */
export interface BlobStatter {
  /** The blob's descriptor (media type application/octet-stream unless the store knows it), or undefined. */
  statBlob(digest: string, options?: Cancellable): Promise<Descriptor | undefined>;
}

export function isBlobStatter(store: unknown): store is BlobStatter {
  return hasMethod(store, 'statBlob');
}

/**
 * A store whose word on a blob can be checked again by reading it: some registries answer a blob HEAD with 200 for
 * a blob they cannot serve (some Artifactory versions; distribution-spec#569), which only a GET shows.
 */
export interface BlobReadChecker {
  /** Whether the blob can be read (a GET of its first byte), whatever a HEAD said. */
  blobReadable(digest: string, options?: Cancellable): Promise<boolean>;
}

export function isBlobReadChecker(store: unknown): store is BlobReadChecker {
  return hasMethod(store, 'blobReadable');
}

/** A store that deletes one blob (registries with deletes enabled; a layout drops blobs by garbage collection). */
export interface BlobDeleter {
  deleteBlob(digest: string, options?: Cancellable): Promise<void>;
}

export function isBlobDeleter(store: unknown): store is BlobDeleter {
  return hasMethod(store, 'deleteBlob');
}

/**
 * A store that takes a manifest only when it holds everything the manifest names, and keeps those while the
 * manifest stays (a registry: it refuses a manifest whose blobs or child manifests it lacks, MANIFEST_BLOB_UNKNOWN,
 * and collects only what nothing names). A manifest found there stands for its whole graph, so a copy does not ask
 * for its children one by one: a mirror's rerun costs a request per tag, not one per blob. A layout is not one: a
 * blob of its folder can be lost by hand, and a rerun is what fills it again.
 */
export interface WholeGraphKeeper {
  readonly keepsWholeGraphs: true;
}

export function keepsWholeGraphs(store: unknown): boolean {
  return (store as Partial<WholeGraphKeeper> | undefined)?.keepsWholeGraphs === true;
}
