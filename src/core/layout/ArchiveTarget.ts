// An OCI image layout inside a tar file (`oci-archive:<file.tar>`, skopeo's transport name), as a Target.
//
// Reading never extracts: the tar's headers are indexed once (archiveEntries.ts) and a blob is a byte range of
// the file, streamed through the same size-and-digest check as every other store.
// Writing cannot patch a tar in place, so writes go to a staging layout folder beside the archive
// (`.<name>.stowage-partial`, a plain LayoutTarget seeded with the archive's index.json) and `finish()` writes the
// whole archive again — blobs from the old archive and from staging, deterministic (archiveWriter.ts) — into a
// temp file renamed over the old one, then removes the staging folder. A run that fails leaves staging in place;
// the next run that opens the archive for writing picks it up, so what was already fetched is not fetched again.
// A blob that already sits in a local layout (a copy or backup from a layout folder) is not staged: its file is
// named (archiveLocalBlobs.ts) and copied into the tar once, at finish, verified on the way. One writer at a time: the
// first write takes a lock beside the archive (fileLock.ts) held until finish() or release().
//
// Only plain tar is read and written: a gzip-compressed archive has no byte ranges to seek to, and ORAS's backup
// and oras-go's tar reader handle `.tar` only (skopeo writes `.tar` too, though it can read compressed ones).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import {
  algorithmOf,
  assertDigest,
  type Descriptor,
  type ImageIndex,
  isDigest,
  MAX_MANIFEST_BYTES,
  NotFoundError,
  OciError,
  printable,
  SizeExceededError,
  throwIfAborted,
} from '../oci';
import {
  Hasher,
  HashingStream,
  verifyBytes,
  openLayoutFile,
  removeTree,
  openNoFollow,
  readLayoutFile,
  statLayoutEntry,
  mediaTypeOfManifest,
  parseManifestBytes,
  type BlobContent,
  type BlobFile,
  type BlobFileSource,
  type Cancellable,
  type FileIdentity,
  type FetchedManifest,
  type Finisher,
  type IndexBatcher,
  type PendingTagWriter,
  type PendingTagsWritten,
  type FinishOptions,
  type PushManifestResult,
  type ReferrersLock,
  type Target,
  type TransferOptions,
  type Untagger,
  destroyOnAbort,
  readAllAt,
  tagPages,
  type TagListing,
  makeFolders,
} from '../content';
import { readArchiveEntries, type ArchiveEntries, type ArchiveEntry } from './archiveEntries';
import { LocalBlobs } from './archiveLocalBlobs';
import {
  blobName,
  COMPRESSED_NAME,
  digestOfBlobName,
  isLayoutBlobFile,
  refuseCompressed,
  stagingFolderOf,
} from './archiveNames';
import { mergedByName } from './archiveFileLists';
import { bytesFile, canonicalIndexBytes, folderRefusedWrites, stagedBlobs } from './archiveRewrite';
import { writeLayoutArchive, type ArchiveFile } from './archiveWriter';
import { acquireFileLock, type LockOptions } from './fileLock';
import { reachableFrom, type GarbageCollectResult } from './garbageCollect';
import { fileRangeChunks } from './fileRange';
import {
  checkLayoutVersion,
  emptyIndex,
  entryIn,
  INDEX_FILE,
  LAYOUT_FILE,
  LAYOUT_VERSION,
  MAX_INDEX_BYTES,
  MAX_LAYOUT_FILE_BYTES,
  parseIndex,
  tagOfEntry,
  withoutRefName,
} from './indexFile';
import { LayoutTarget } from './LayoutTarget';

export interface ArchiveOptions {
  /** Allow a missing archive: it is written by the first `finish()` after a write. */
  create?: boolean;
  /** Refuse every write (the editor browses archives it did not create; nothing would ever finish them). */
  readOnly?: boolean;
  signal?: AbortSignal;
  /** How long a write waits for another writer of the same archive (default 120 s, as for layouts). */
  lockTimeoutMs?: number;
  /** Told when a write has waited a while for another writer of the archive (see acquireFileLock's onWait). */
  onLockWait?: LockOptions['onWait'];
}

/** Where a blob's bytes are: a staged file, a local file named for the write, or a range of the archive. */
interface BlobPlace {
  file: string;
  offset: number;
  size: number;
  /** Opens the file: a staged one only as the file checked, a local one never through a link. */
  open: () => Promise<fs.FileHandle>;
}

export class ArchiveTarget
  implements Target, BlobFileSource, ReferrersLock, Untagger, Finisher, IndexBatcher, PendingTagWriter
{
  readonly kind = 'layout';
  readonly location: string;
  private staging: LayoutTarget | undefined;
  private localBlobs: LocalBlobs | undefined;
  /** Set from the first write until finish() or release(): this target holds the archive's writer lock. */
  private writing: Promise<void> | undefined;
  private releaseLock: (() => Promise<void>) | undefined;

  /** The archive file as load() indexed it: its blobs' ranges hold only in that file. */
  private identity: FileIdentity | undefined;
  private readOnly = false;
  private lockTimeoutMs: number | undefined;
  private onLockWait: ArchiveOptions['onLockWait'];

  private constructor(
    readonly file: string,
    /** Undefined once finish() wrote the archive: indexed again only when something reads it (indexed()). */
    private entries: ArchiveEntries | undefined,
    private archivedIndex: ImageIndex,
  ) {
    this.location = `oci-archive:${file}`;
  }

  /** Where writes wait for `finish()`; a run that failed leaves it for the next one. */
  get stagingFolder(): string {
    return stagingFolderOf(this.file);
  }

  /** The lock every writer of this archive takes (beside it, outside staging, which finish() removes). */
  get lockFile(): string {
    return path.join(path.dirname(this.file), `.${path.basename(this.file)}.stowage-lock`);
  }

  static async open(archivePath: string, options: ArchiveOptions = {}): Promise<ArchiveTarget> {
    const file = path.resolve(archivePath);
    const where = `oci-archive:${file}`;
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat) {
      if (!options.create) throw new NotFoundError(`layout archive ${file}`);
      if (COMPRESSED_NAME.test(file)) {
        throw new OciError(
          'USAGE',
          `${where}: Stowage writes layout archives as plain .tar (what skopeo and ORAS read); name the file .tar`,
        );
      }
      const target = new ArchiveTarget(file, { files: new Map(), archiveSize: 0 }, emptyIndex());
      target.lockTimeoutMs = options.lockTimeoutMs;
      target.onLockWait = options.onLockWait;
      await target.resumeStaging();
      return target;
    }
    if (!stat.isFile())
      throw new OciError('LAYOUT', `${where} is not a regular file (a link or folder is not a layout archive)`);
    const target = new ArchiveTarget(file, { files: new Map(), archiveSize: 0 }, emptyIndex());
    await target.load(options.signal);
    target.readOnly = !!options.readOnly;
    target.lockTimeoutMs = options.lockTimeoutMs;
    target.onLockWait = options.onLockWait;
    if (options.create && !options.readOnly) await target.resumeStaging();
    return target;
  }

  /** Indexes the archive file (headers only) and reads its oci-layout and index.json; missing: an empty archive. */
  private async load(signal?: AbortSignal): Promise<void> {
    const where = this.location;
    this.indexing = undefined; // one begun before is of a file this reading replaces
    ({ entries: this.entries, identity: this.identity } = await this.indexFile(signal));
    if (!this.identity) {
      this.archivedIndex = emptyIndex();
      return;
    }
    const layoutText = await this.readEntry(LAYOUT_FILE, MAX_LAYOUT_FILE_BYTES).catch((err: unknown) => {
      throw OciError.is(err, 'NOT_FOUND')
        ? new OciError('LAYOUT', `${where} is not an OCI image layout archive: it has no ${LAYOUT_FILE} entry`)
        : err;
    });
    checkLayoutVersion(where, layoutText.toString('utf8'));
    const indexBytes = await this.readEntry(INDEX_FILE, MAX_INDEX_BYTES).catch((err: unknown) => {
      throw OciError.is(err, 'NOT_FOUND') ? new OciError('LAYOUT', `${where}: it has no ${INDEX_FILE} entry`) : err;
    });
    this.archivedIndex = parseIndex(where, indexBytes.toString('utf8'));
  }

  // ---- reading: staging first (the newest writes), then the archive ----

  async readIndex(): Promise<ImageIndex> {
    return this.staging ? this.staging.readIndex() : structuredClone(this.archivedIndex);
  }

  /** The entry a tag or digest names (entryIn), staging's when there is one; no index copied for it. */
  private entryFor(tagOrDigest: string): Promise<Descriptor | undefined> | Descriptor | undefined {
    return this.staging ? this.staging.findEntry(tagOrDigest) : entryIn(this.archivedIndex, tagOrDigest);
  }

  async resolve(tagOrDigest: string, { signal }: Cancellable = {}): Promise<Descriptor> {
    throwIfAborted(signal);
    const entry = await this.entryFor(tagOrDigest);
    if (entry) return withoutRefName(entry);
    if (isDigest(tagOrDigest)) {
      const bytes = await this.manifestBytes(tagOrDigest, undefined, signal);
      const manifest = parseManifestBytes(bytes, `${this.location}: manifest ${tagOrDigest}`);
      return { mediaType: mediaTypeOfManifest(manifest), digest: tagOrDigest, size: bytes.length };
    }
    throw new NotFoundError(`tag "${printable(tagOrDigest)}" in ${this.location}`);
  }

  async fetchManifest(ref: string | Descriptor, { signal }: Cancellable = {}): Promise<FetchedManifest> {
    const resolved = typeof ref === 'string' ? await this.resolve(ref, { signal }) : ref;
    const bytes = await this.manifestBytes(resolved.digest, resolved.size, signal);
    const manifest = parseManifestBytes(bytes, `${this.location}: manifest ${resolved.digest}`);
    return {
      descriptor: { ...resolved, mediaType: resolved.mediaType || mediaTypeOfManifest(manifest) },
      bytes,
      manifest,
    };
  }

  /**
   * The blob's bytes, verified against its digest and size as they stream. A layout sink then only counts them
   * (one hash per copy). Handing raw ranges to the sink's hashing thread instead (UnverifiedBlobReader) was
   * measured slower on two cores: 1 GiB into a layout 2.6–3.9 s with 1 MiB chunks, 1.41 s with 256 KiB, against
   * 1.24–1.32 s here, whose CPU time also stays steady (1.3–1.4 s against up to 3.8 s).
   */
  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const place = await this.placeOf(descriptor.digest);
    if (!place) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    const verified = new HashingStream({
      expected: descriptor.digest,
      expectedSize: descriptor.size,
      what: `${this.location}: blob ${descriptor.digest}`,
      onBytes: options.onBytes,
    });
    pipeline(rangeStream(place), verified, () => undefined);
    return destroyOnAbort(verified, options.signal);
  }

  /**
   * A blob of the archive itself as its byte range, so that a layout or registry it is copied to reads it through
   * reused buffers and hashes it once (fileChunks.ts), not through fetchBlob's stream of fresh 1 MiB buffers: that
   * cost more CPU in page faults and garbage collection than hashing. Staged and local blobs go through fetchBlob.
   */
  async blobFile(descriptor: Descriptor): Promise<BlobFile | undefined> {
    const place = await this.placeOf(descriptor.digest);
    if (place?.file !== this.file || place.size !== descriptor.size) return undefined;
    const what = `${this.location}: blob ${descriptor.digest}`;
    // Read only as the archive indexed: a link or another file put in its place is refused, not read.
    return { path: this.file, checked: this.identity, range: { offset: place.offset, size: place.size, what } };
  }

  async exists(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<boolean> {
    throwIfAborted(signal);
    if ((await this.blobEntry(descriptor.digest))?.size === descriptor.size) return true;
    if (this.localBlobs?.get(descriptor.digest)?.size === descriptor.size) return true;
    return this.staging ? this.staging.exists(descriptor, { signal }) : false;
  }

  /** The blob stored under `digest` (archive or staging) as a descriptor, for `blob fetch` by digest alone. */
  async statBlob(digest: string, { signal }: Cancellable = {}): Promise<Descriptor | undefined> {
    throwIfAborted(signal);
    const size = await this.blobSize(digest);
    return size === undefined ? undefined : { mediaType: 'application/octet-stream', digest, size };
  }

  /** Size of the blob stored under `digest` (archive or staging), undefined when none: lint's BlobStore. */
  async blobSize(digest: string): Promise<number | undefined> {
    if (!isDigest(digest)) return undefined;
    return (await this.placeOf(digest))?.size;
  }

  /** Digest of the bytes stored under `digest` (read once, streamed): lint's BlobStore. */
  async computeDigest(digest: string): Promise<string> {
    const place = await this.placeOf(digest);
    if (!place) throw new NotFoundError(`blob ${digest} in ${this.location}`);
    const hasher = new Hasher({ algorithm: algorithmOf(digest), what: `${this.location}: blob ${digest}` });
    for await (const chunk of rangeStream(place)) hasher.update(chunk as Buffer);
    return hasher.finish();
  }

  async *listTags(options: TagListing = {}): AsyncIterable<string[]> {
    throwIfAborted(options.signal);
    const index = await this.readIndex();
    yield* tagPages(
      index.manifests.map(tagOfEntry).filter((t): t is string => t !== undefined),
      options,
    );
  }

  // ---- writing: into staging, made durable by finish() ----

  /**
   * A blob of a local layout is only named here (its size checked now, its bytes when finish() copies them into the
   * tar); any other content is staged, verified, so that a failed run keeps what it fetched.
   */
  async pushBlob(descriptor: Descriptor, content: BlobContent, options: TransferOptions = {}): Promise<void> {
    if ((await this.blobEntry(descriptor.digest))?.size === descriptor.size) return;
    const staging = await this.writable();
    if (!content.file || content.fileRange || !isLayoutBlobFile(content.file, descriptor.digest))
      return staging.pushBlob(descriptor, content, options);
    if (await staging.exists(descriptor, options)) return;
    const stat = await fs.stat(content.file).catch(() => undefined);
    if (!stat?.isFile() || stat.size !== descriptor.size)
      throw new OciError(
        'INVALID_CONTENT',
        `${this.location}: blob ${descriptor.digest} from ${content.file}: size mismatch (expected ${descriptor.size} bytes, the file holds ${stat?.isFile() ? stat.size : 'none'})`,
      );
    await this.localBlobs!.add(descriptor.digest, { file: path.resolve(content.file), size: descriptor.size });
    options.onBytes?.(descriptor.size);
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    const staging = await this.writable();
    // Its blobs' names are on disk before the manifest is: staging a failed run leaves is whole.
    await this.localBlobs!.sync();
    return staging.pushManifest(descriptor, bytes, options);
  }

  async tag(descriptor: Descriptor, tag: string, { signal }: Cancellable = {}): Promise<void> {
    // Already so: no staging, so a rerun that changes nothing does not rewrite the whole archive.
    if ((await this.entryFor(tag))?.digest === descriptor.digest) return;
    const staging = await this.writable();
    if (await staging.exists(descriptor, { signal })) return staging.tag(descriptor, tag, { signal });
    // The manifest is in the archive only: stage its bytes (small) so the tag has something to name.
    const { bytes } = await this.fetchManifest(descriptor, { signal });
    await staging.pushManifest(descriptor, bytes, { tag, signal });
  }

  async untag(tag: string, options: Cancellable = {}): Promise<void> {
    await (await this.writable()).untag(tag, options);
  }

  /** Drops the manifest from index.json; its bytes stay in the archive (like a layout's blobs until gc). */
  async deleteManifest(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<void> {
    const staging = await this.writable();
    // Nothing in index.json to drop (a superseded referrers index, mostly): said without writing it (in a batch of
    // index writes, an update writes the batch first).
    const inArchive = !!(await this.blobEntry(descriptor.digest));
    if (!(await staging.findEntry(descriptor.digest))) {
      if (inArchive) return;
      throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location}`);
    }
    await staging.updateIndex((index) => {
      const before = index.manifests.length;
      index.manifests = index.manifests.filter((m) => m.digest !== descriptor.digest);
      if (index.manifests.length === before && !inArchive)
        throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location}`);
    }, signal);
  }

  /**
   * IndexBatcher: the staging layout's index.json is written in batches while `work` runs (indexBatch.ts). Staging
   * is made at the first write, not here, so a run that writes nothing still leaves the archive as it was.
   */
  async withBatchedIndex<T>(work: () => Promise<T>): Promise<T> {
    this.batchesWanted++;
    let failed = false;
    try {
      if (this.staging) this.endStagingBatch ??= this.staging.beginBatch();
      return await work();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      if (--this.batchesWanted === 0 && this.endStagingBatch) {
        const end = this.endStagingBatch;
        this.endStagingBatch = undefined;
        // After a failure the staged tags are written still (a rerun reuses them); the failure is what is told.
        await (failed ? end().catch(() => undefined) : end());
      }
    }
  }
  private batchesWanted = 0;
  private endStagingBatch: (() => Promise<void>) | undefined;

  /**
   * PendingTagWriter: the staging batch's tags written to staging's index.json now; those a failed write (a full
   * disk) left out of it. A tag in staging's index.json is kept for the rerun, which finishes the archive with it;
   * one only in the batch is not, though its content is staged.
   */
  async writePendingTags(): Promise<PendingTagsWritten> {
    return this.staging ? this.staging.writePendingTags() : { unlisted: new Set() };
  }

  async withReferrersLock<T>(work: () => Promise<T>, options: Cancellable = {}): Promise<T> {
    return (await this.writable()).withReferrersLock(work, options);
  }

  stagedIn(): string | undefined {
    return this.staging?.root;
  }

  /**
   * Writes the archive again with everything staged, atomically; then staging is removed and the writer lock
   * released. Every blob (the old archive's, staged, named in local files) is verified as it is copied: a mismatch
   * fails the write, removes its temp file and leaves the old archive and staging as they were.
   */
  async finish({ signal, onProgress }: FinishOptions = {}): Promise<void> {
    if (!this.staging && !this.writing) return;
    // A staging folder found at open (a failed run's) is finished under the lock too.
    await this.lock(signal);
    const staging = this.staging;
    if (!staging) return this.release();
    // The old archive's blobs, blobs named in local files, index.json and oci-layout: a Map, so a later kind
    // replaces an earlier one of the same name; staged blobs (120,000 in a large backup) stay a compact list,
    // merged in as the tar is written, and replace any of these too.
    const files = new Map<string, ArchiveFile>();
    for (const [name, entry] of (await this.indexed(signal)).files) {
      const digest = digestOfBlobName(name);
      if (digest)
        files.set(name, {
          name,
          size: entry.size,
          source: { file: this.file, offset: entry.offset },
          digest,
          what: `${this.location}: blob ${digest}`,
        });
    }
    for (const [digest, blob] of this.localBlobs?.entries() ?? []) {
      const name = blobName(digest);
      const what = `blob ${digest} from ${blob.file}`;
      files.set(name, {
        name,
        size: blob.size,
        source: { file: blob.file, open: async () => (await openNoFollow(blob.file, what)).handle },
        digest,
        what,
      });
    }
    const index = await staging.readIndex();
    const indexBytes = canonicalIndexBytes(index);
    const layoutBytes = Buffer.from(JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
    files.set(INDEX_FILE, bytesFile(INDEX_FILE, indexBytes));
    files.set(LAYOUT_FILE, bytesFile(LAYOUT_FILE, layoutBytes));
    // A staged blob is named where it is: changed since it was verified, that folder is what to look at (or remove).
    const describe = (name: string) => `${this.location}: staged ${name} in ${staging.root}`;
    const list = mergedByName([...files.values()], await stagedBlobs(staging));
    files.clear(); // the list alone holds them while the archive is written
    await writeLayoutArchive(this.file, list, { signal, onProgress, describe });
    await removeTree(staging.root);
    this.staging = undefined;
    this.localBlobs = undefined;
    // Indexed again only when read: a command that ends here (backup) would hold an entry per blob for nothing
    // (120,000 staged blobs: 26 MB of heap just after the write, the command's peak).
    this.entries = undefined;
    this.identity = undefined;
    this.indexing = undefined;
    this.archivedIndex = index;
    await this.release();
  }

  /**
   * Writes the archive again with only the blobs index.json reaches (a dry run lists the others and writes
   * nothing), under the writer lock. Refused while unfinished writes wait in staging: they may need those blobs.
   */
  async garbageCollect(options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<GarbageCollectResult> {
    const { dryRun = false, signal } = options;
    this.refuseIfReadOnly();
    await this.lock(signal);
    try {
      if (this.staging)
        throw new OciError(
          'LAYOUT',
          `${this.location} has unfinished writes in ${this.staging.root}: run the command that left them again (or remove that folder) before collecting garbage`,
        );
      const reached = await reachableFrom(
        this.archivedIndex,
        // A manifest the archive lacks is not walked (as in a layout); one it holds must read and verify, or
        // its children would look unreferenced.
        async (digest) => ((await this.placeOf(digest)) ? this.manifestBytes(digest, undefined, signal) : undefined),
        this.location,
        signal,
      );
      const result: GarbageCollectResult = { removed: [], blobs: [], temporaries: [], freedBytes: 0, young: [] };
      const kept: ArchiveFile[] = [];
      for (const [name, entry] of (await this.indexed(signal)).files) {
        const digest = digestOfBlobName(name);
        if (!digest) continue;
        if (reached.has(digest)) {
          kept.push({
            name,
            size: entry.size,
            source: { file: this.file, offset: entry.offset },
            digest,
            what: `${this.location}: blob ${digest}`,
          });
          continue;
        }
        result.removed.push(digest);
        result.blobs.push({ digest, size: entry.size });
        result.freedBytes += entry.size;
      }
      if (dryRun || !result.removed.length) return result;
      kept.push(bytesFile(INDEX_FILE, canonicalIndexBytes(this.archivedIndex)));
      kept.push(bytesFile(LAYOUT_FILE, Buffer.from(JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }))));
      await writeLayoutArchive(this.file, kept, { signal });
      await this.load(signal);
      return result;
    } finally {
      await this.release();
    }
  }

  /** Ends this writer's turn without finishing: what it wrote stays staged for a rerun; other writers may go on. */
  async release(): Promise<void> {
    const release = this.releaseLock;
    this.releaseLock = undefined;
    this.writing = undefined;
    await release?.();
  }

  // ---- internals ----

  /** Reopens the staging folder a failed run left, so its blobs count as present. */
  private async resumeStaging(): Promise<void> {
    const folder = this.stagingFolder;
    if (await fs.lstat(path.join(folder, LAYOUT_FILE)).catch(() => undefined)) {
      this.staging = await LayoutTarget.open(folder);
      this.localBlobs = await LocalBlobs.load(folder);
    } else {
      this.staging = undefined;
      this.localBlobs = undefined;
    }
  }

  /**
   * Takes the archive's writer lock (once per turn, however many writes ask at once), then reads the archive and
   * its staging again: another writer may have rewritten the one and removed the other while this one waited.
   */
  private lock(signal?: AbortSignal): Promise<void> {
    this.writing ??= (async () => {
      // The lock, the staged writes and the archive all go in its folder: made when missing, as a layout folder
      // is, and a folder that takes no files is named as the fault (not the lock file the user never named).
      const folder = path.dirname(this.file);
      try {
        await makeFolders(folder);
        this.releaseLock = await acquireFileLock(this.lockFile, {
          signal,
          timeoutMs: this.lockTimeoutMs,
          onWait: this.onLockWait,
          what: `of ${this.location} (another process is writing this archive; wait for it to finish, or remove ${this.lockFile} if none is)`,
        });
      } catch (err) {
        throw folderRefusedWrites(err, this.location, folder);
      }
      try {
        await this.load(signal);
        await this.resumeStaging();
      } catch (err) {
        await this.release();
        throw err;
      }
    })().catch((err: unknown) => {
      this.writing = undefined;
      throw err;
    });
    return this.writing;
  }

  private refuseIfReadOnly(): void {
    if (this.readOnly) {
      throw new OciError(
        'UNSUPPORTED',
        `${this.location} is opened read-only: copy what you need to a layout folder or a registry, or back up into a new archive`,
      );
    }
  }

  private async writable(signal?: AbortSignal): Promise<LayoutTarget> {
    this.refuseIfReadOnly();
    await this.lock(signal);
    if (this.staging) return this.staging;
    this.creatingStaging ??= this.createStaging();
    return this.creatingStaging;
  }
  private creatingStaging: Promise<LayoutTarget> | undefined;

  private async createStaging(): Promise<LayoutTarget> {
    try {
      const staging = await LayoutTarget.open(this.stagingFolder, { create: true });
      const seed = structuredClone(this.archivedIndex);
      await staging.updateIndex((index) => {
        index.manifests = seed.manifests;
        if (seed.annotations) index.annotations = seed.annotations;
      });
      this.localBlobs = await LocalBlobs.load(this.stagingFolder);
      this.staging = staging;
      if (this.batchesWanted > 0) this.endStagingBatch ??= staging.beginBatch();
      return staging;
    } finally {
      this.creatingStaging = undefined;
    }
  }

  /** Where the blob's bytes are: staging first (the newest writes), then local files named for this write, then the archive. */
  private async placeOf(digest: string): Promise<BlobPlace | undefined> {
    assertDigest(digest, `${this.location}: digest`);
    const what = `${this.location}: blob ${digest}`;
    if (this.staging) {
      const { root } = this.staging;
      const file = this.staging.blobPath(digest);
      const stat = await statLayoutEntry(root, file);
      if (stat?.isFile())
        return {
          file,
          offset: 0,
          size: stat.size,
          open: async () => (await openLayoutFile(root, file, what, stat)).handle,
        };
    }
    const local = this.localBlobs?.get(digest);
    if (local)
      return {
        file: local.file,
        offset: 0,
        size: local.size,
        open: async () => (await openNoFollow(local.file, what)).handle,
      };
    const entry = await this.blobEntry(digest);
    const archive = this.file;
    return entry
      ? { file: archive, offset: entry.offset, size: entry.size, open: () => fs.open(archive, 'r') }
      : undefined;
  }

  private async blobEntry(digest: string): Promise<ArchiveEntry | undefined> {
    assertDigest(digest, `${this.location}: digest`);
    return (await this.indexed()).files.get(blobName(digest));
  }

  /**
   * The archive's entries, indexed again (headers only) when finish() wrote it anew: once, however many reads ask at
   * once (a copy's blobs are asked about several at a time: each would index the whole archive, a Map each), and
   * checked as load() checks it (a link or folder put in its place is refused, not read through).
   */
  private async indexed(signal?: AbortSignal): Promise<ArchiveEntries> {
    if (this.entries) return this.entries;
    throwIfAborted(signal);
    // Not cancelled by the first asker's signal: the others wait on the same reading.
    const indexing = (this.indexing ??= this.indexFile());
    try {
      const indexed = await indexing;
      // A finish() or load() since it began made it stale: their file is the one to read.
      if (this.indexing === indexing) ({ entries: this.entries, identity: this.identity } = indexed);
      return indexed.entries;
    } finally {
      if (this.indexing === indexing) this.indexing = undefined;
    }
  }
  private indexing: Promise<{ entries: ArchiveEntries; identity: FileIdentity | undefined }> | undefined;

  /** The archive file indexed (headers only) as it is now: none there is an empty one; a link or folder is refused. */
  private async indexFile(
    signal?: AbortSignal,
  ): Promise<{ entries: ArchiveEntries; identity: FileIdentity | undefined }> {
    const where = this.location;
    const stat = await fs.lstat(this.file).catch(() => undefined);
    if (!stat) return { entries: { files: new Map(), archiveSize: 0 }, identity: undefined };
    if (!stat.isFile())
      throw new OciError('LAYOUT', `${where} is not a regular file (a link or folder is not a layout archive)`);
    await refuseCompressed(this.file, where);
    return { entries: await readArchiveEntries(this.file, where, signal), identity: { dev: stat.dev, ino: stat.ino } };
  }

  private async manifestBytes(digest: string, size: number | undefined, signal?: AbortSignal): Promise<Buffer> {
    const what = `${this.location}: manifest ${digest}`;
    let bytes: Buffer;
    const stagedFile = this.staging ? this.staging.blobPath(digest) : undefined;
    const stagedStat = stagedFile ? await statLayoutEntry(this.staging!.root, stagedFile) : undefined;
    const staged = stagedStat?.isFile()
      ? await readLayoutFile(this.staging!.root, stagedFile!, MAX_MANIFEST_BYTES, what, signal, stagedStat)
      : undefined;
    if (staged) bytes = staged;
    else {
      const place = await this.placeOf(digest);
      if (!place) throw new NotFoundError(`manifest ${digest} in ${this.location}`);
      if (place.size > MAX_MANIFEST_BYTES) throw new SizeExceededError(what, MAX_MANIFEST_BYTES);
      throwIfAborted(signal);
      bytes = await readRange(place, place.file);
    }
    verifyBytes(what, bytes, digest, size);
    return bytes;
  }

  /** A small entry (oci-layout, index.json) read whole, refused beyond `cap`. */
  private async readEntry(name: string, cap: number): Promise<Buffer> {
    const entry = (await this.indexed()).files.get(name);
    if (!entry) throw new NotFoundError(`${name} in ${this.location}`);
    if (entry.size > cap)
      throw new OciError('SIZE_EXCEEDED', `${this.location}: ${name} is ${entry.size} bytes; at most ${cap} are read`);
    const archive = this.file;
    return readRange({ ...entry, open: () => fs.open(archive, 'r') }, this.location);
  }
}

async function readRange(place: Pick<BlobPlace, 'open' | 'offset' | 'size'>, where: string): Promise<Buffer> {
  const handle = await place.open();
  try {
    const bytes = Buffer.alloc(place.size);
    await readAllAt(
      handle,
      bytes,
      place.offset,
      () => new OciError('LAYOUT', `${where} was cut short while reading it`),
    );
    return bytes;
  } finally {
    await handle.close();
  }
}

function rangeStream(place: BlobPlace): Readable {
  return Readable.from(fileRangeChunks(place.open, place.offset, place.size, place.file), { objectMode: false });
}
