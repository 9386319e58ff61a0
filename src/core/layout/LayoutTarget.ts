// The OCI image layout store: blobs under blobs/<alg>/<encoded>, tags in index.json (ref.name annotations).
//
// Every write is atomic: blobs and manifests are written to a temp file inside the layout, hashed while
// streaming, verified, fsync'd and renamed into place; index.json is rewritten the same way while holding a
// lock file that works across processes; a run of many tags (withBatchedIndex) writes it in batches instead of once
// per manifest tagged (indexBatch.ts). No entry of the layout's own structure is reached through a symbolic
// link (noSymlinks.ts): every read and write path goes through `own()` or the readers built on it. A manifest pushed without a tag is stored as a blob only: index.json
// lists roots, and children of an index or referrers (reachable through a fallback tag) are not roots.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import {
  cleanDescriptor,
  type Descriptor,
  type ImageIndex,
  assertDigest,
  encodedOf,
  isDigest,
  AbortedError,
  NotFoundError,
  OciError,
  SizeExceededError,
  printable,
  throwIfAborted,
  Annotation,
  MAX_MANIFEST_BYTES,
} from '../oci';
import {
  Hasher,
  HashingStream,
  verifyBytes,
  openHashing,
  type BlobContent,
  type BlobFile,
  type BlobFileSource,
  type ReferrersLock,
  type UnhashedBlobPusher,
  type Untagger,
  type ManifestReleaser,
  type IndexBatcher,
  type PendingTagWriter,
  type PendingTagsWritten,
  type ReleaseOptions,
  type FetchedManifest,
  type PushManifestResult,
  type Target,
  type TransferOptions,
  type UnhashedBlobOptions,
  chunksToTempFile,
  copyFileToTemp,
  removeQuietly,
  syncDirectory,
  writeTempFileHashing,
  writeFileAtomic,
  assertNoSymlink,
  openLayoutFile,
  readLayoutFile,
  statLayoutEntry,
  mediaTypeOfManifest,
  checkTagIn,
  manifestToKeep,
  taggedTypeIn,
  parseManifestBytes,
  type Cancellable,
  destroyOnAbort,
  tagPages,
  type TagListing,
  makeFolders,
} from '../content';
import { acquireFileLock, withFileLock } from './fileLock';
import { indexLockPath } from './indexLock';
import { nothingNames, removeBlob } from './releaseManifest';
import { collectGarbage, type GarbageCollectOptions, type GarbageCollectResult } from './garbageCollect';
import {
  checkLayoutVersion,
  emptyIndex,
  entryIn,
  shareTypes,
  INDEX_FILE,
  LAYOUT_FILE,
  LAYOUT_VERSION,
  MAX_LAYOUT_FILE_BYTES,
  readIndexFile,
  tagOfEntry,
  withoutRefName,
} from './indexFile';

import { IndexCache } from './indexCache';
import { indexTextPieces } from './indexText';
import { IndexBatch, type BatchWriter } from './indexBatch';

const READ_BUFFER = 1024 * 1024;
/** Blob files a LayoutTarget notes as its own writes at most (see blobFilesWritten). */
const BLOBS_NOTED = 256;

export interface LayoutOptions {
  /** Create the layout (folder, oci-layout, index.json) when it is missing. */
  create?: boolean;
  signal?: AbortSignal;
  /** How long to wait for another process's index.json lock (default 120 s). */
  lockTimeoutMs?: number;
  /** A lock not refreshed for this long is treated as left by a crashed process (default 30 s). */
  staleLockMs?: number;
  /** In a batch (withBatchedIndex), the least time between two writes of index.json (default BATCH_INTERVAL_MS). */
  batchIntervalMs?: number;
}

export class LayoutTarget
  implements
    Target,
    BlobFileSource,
    ReferrersLock,
    UnhashedBlobPusher,
    Untagger,
    ManifestReleaser,
    IndexBatcher,
    PendingTagWriter
{
  readonly kind = 'layout';
  readonly location: string;
  private readonly indexCache = new IndexCache();
  /** Tags waiting to be written together (withBatchedIndex), when a batch runs. */
  private batch: IndexBatch | undefined;

  /** The blob files this object wrote (blobFilesWritten); undefined once more than BLOBS_NOTED. */
  private blobsWritten: Set<string> | undefined = new Set();

  private constructor(
    readonly root: string,
    private readonly options: LayoutOptions,
  ) {
    this.location = `oci:${root}`;
  }

  /** Opens a layout folder, creating it with `create`; fails with LAYOUT when it is not a layout. */
  static async open(layoutPath: string, options: LayoutOptions = {}): Promise<LayoutTarget> {
    const root = path.resolve(layoutPath);
    const target = new LayoutTarget(root, options);
    // Something there that is not a folder is left alone: the check below says what it is.
    const existing = await fs.stat(root).catch(() => undefined);
    if (options.create && (!existing || existing.isDirectory())) await target.createFiles();
    await target.checkLayoutFile();
    return target;
  }

  private async createFiles(): Promise<void> {
    await makeFolders(await this.own(path.join(this.root, 'blobs')));
    const layoutFile = path.join(this.root, LAYOUT_FILE);
    if (!(await this.isFile(layoutFile)))
      await writeFileAtomic(layoutFile, JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
    if (!(await this.isFile(path.join(this.root, INDEX_FILE)))) {
      await this.locked(async () => {
        if (!(await this.isFile(path.join(this.root, INDEX_FILE)))) await this.writeIndex(emptyIndex());
      });
    }
  }

  private async checkLayoutFile(): Promise<void> {
    const layoutFile = path.join(this.root, LAYOUT_FILE);
    let text: string;
    try {
      text = (
        await readLayoutFile(this.root, layoutFile, MAX_LAYOUT_FILE_BYTES, `${this.location}: ${LAYOUT_FILE}`)
      ).toString('utf8');
    } catch (err) {
      if (OciError.is(err) && err.code !== 'NOT_FOUND') throw err;
      // Say which: no folder at all (a typo in the path, usually), or a folder that is not a layout.
      const folder = await fs.stat(this.root).catch(() => undefined);
      const why = !folder
        ? 'no such folder'
        : !folder.isDirectory()
          ? 'it is a file, not a folder'
          : OciError.is(err, 'NOT_FOUND')
            ? `it has no ${LAYOUT_FILE} file`
            : `${LAYOUT_FILE} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      throw new OciError('LAYOUT', `${this.root} is not an OCI image layout: ${why}`, { cause: err });
    }
    checkLayoutVersion(this.root, text);
  }

  /**
   * The blob files this object wrote, so that a failed run removing a layout it made (cli/createdLayouts.ts) can
   * tell its own blobs from another writer's, whose tags may be waiting in that writer's batch. Undefined past
   * BLOBS_NOTED files (memory stays bounded; such a layout is kept).
   */
  blobFilesWritten(): ReadonlySet<string> | undefined {
    return this.blobsWritten;
  }

  private wroteBlob(file: string): void {
    if (this.blobsWritten && this.blobsWritten.size >= BLOBS_NOTED) this.blobsWritten = undefined;
    this.blobsWritten?.add(file);
  }

  /** Where a blob lives; the digest is checked first, so a hostile digest can never name another path. */
  blobPath(digest: string): string {
    const algorithm = assertDigest(digest, `${this.location}: digest`);
    return path.join(this.root, 'blobs', algorithm, encodedOf(digest));
  }

  /** index.json as it is now (parsed again only when the file changed: indexCache.ts), with a batch's tags. */
  async readIndex(): Promise<ImageIndex> {
    const index = await this.indexView();
    return { ...index, manifests: [...index.manifests] };
  }

  /**
   * readIndex's index itself, not copied, for looking at only: a copy of a large index (20,000 entries in a backup of
   * 10,000 signed tags) made for each tag looked up was garbage enough to grow the heap by megabytes.
   */
  private async indexView(): Promise<ImageIndex> {
    const onDisk = await this.indexOnDisk();
    return this.batch ? this.batch.tags.over(onDisk) : onDisk;
  }

  /** The index.json entry (ref.name kept) a tag names, or the first listing a digest; a batch's tags included. */
  async findEntry(tagOrDigest: string): Promise<Descriptor | undefined> {
    return entryIn(await this.indexView(), tagOrDigest);
  }

  /** index.json as the file has it (frozen: see indexCache.ts). */
  private indexOnDisk(): Promise<ImageIndex> {
    return this.indexCache.current(this.root, () => readIndexFile(this.root));
  }

  /**
   * IndexBatcher: runs `work` with the tags it sets gathered and written to index.json in batches (indexBatch.ts:
   * what other readers see meanwhile), the last when `work` ends, however it ends.
   */
  async withBatchedIndex<T>(work: () => Promise<T>): Promise<T> {
    const end = this.beginBatch();
    let result: T;
    try {
      result = await work();
    } catch (err) {
      // What was tagged names complete content: it is written, and the work's own failure is what is told.
      await end().catch(() => undefined);
      throw err;
    }
    await end();
    return result;
  }

  /** Starts a batch (withBatchedIndex) and returns the function that ends it; nested batches end with the outermost. */
  beginBatch(): () => Promise<void> {
    if (this.batch) {
      this.batch.depth++;
    } else {
      const writer: BatchWriter = {
        commit: (batch) => this.commitBatch(batch),
        lockReferrers: () => acquireFileLock(this.referrersLockPath(), this.referrersLockOptions()),
      };
      this.batch = new IndexBatch(writer, this.options.batchIntervalMs);
    }
    const batch = this.batch;
    return async () => {
      if (--batch.depth > 0) return;
      try {
        await batch.end();
      } finally {
        if (this.batch === batch) this.batch = undefined;
      }
    };
  }

  /** PendingTagWriter: the batch's tags written now; those a failed write (a full disk) left out of the file. */
  async writePendingTags(): Promise<PendingTagsWritten> {
    const batch = this.batch;
    if (!batch) return { unlisted: new Set() };
    const error = await batch.write().then(
      () => undefined,
      (err: unknown) => err ?? new Error('index.json was not written'),
    );
    const unlisted = new Set(batch.tags.snapshot().keys());
    return unlisted.size && error !== undefined ? { unlisted, error } : { unlisted };
  }

  /** A batch's pending tags and releases written, under the index lock, over the file as it is now. */
  private async commitBatch(batch: IndexBatch): Promise<void> {
    await this.locked(async () => {
      // Each pending tag's blob checked under the lock, as setTag does: another writer may have released it since.
      for (const [tag, { entry, bytes }] of batch.tags.snapshot()) await this.keepTaggable(entry, bytes, tag);
      const written = batch.tags.snapshot();
      const index = batch.tags.over(await this.indexOnDisk());
      const releases = batch.takeReleases();
      await this.writeIndex({ ...index, manifests: [...index.manifests] });
      batch.tags.settle(written);
      for (const release of releases) await this.releaseNow(release.descriptor, release.untouchedSince);
    });
  }

  /** The manifest a pending tag names is still stored, written again from its bytes if it was released. */
  private async keepTaggable(entry: Descriptor, bytes: Buffer | undefined, tag: string): Promise<void> {
    const file = await this.own(this.blobPath(entry.digest));
    if (await this.isFile(file)) return;
    if (!bytes) throw new NotFoundError(`manifest ${entry.digest} in ${this.location} (cannot tag it "${tag}")`);
    await makeFolders(path.dirname(file));
    await writeFileAtomic(file, bytes, path.join(this.root, 'blobs'));
    this.wroteBlob(file);
  }

  async resolve(tagOrDigest: string, { signal }: Cancellable = {}): Promise<Descriptor> {
    throwIfAborted(signal);
    const entry = await this.findEntry(tagOrDigest);
    if (entry) return withoutRefName(entry);
    if (isDigest(tagOrDigest)) {
      const file = this.blobPath(tagOrDigest);
      const stat = await statLayoutEntry(this.root, file);
      if (!stat?.isFile()) throw new NotFoundError(`manifest ${tagOrDigest} in ${this.location}`);
      const bytes = await readLayoutFile(
        this.root,
        file,
        MAX_MANIFEST_BYTES,
        `${this.location}: manifest ${tagOrDigest}`,
        signal,
        stat,
      );
      verifyBytes(`${this.location}: manifest ${tagOrDigest}`, bytes, tagOrDigest);
      const manifest = parseManifestBytes(bytes, `${this.location}: manifest ${tagOrDigest}`);
      return { mediaType: mediaTypeOfManifest(manifest), digest: tagOrDigest, size: bytes.length };
    }
    throw new NotFoundError(`tag "${printable(tagOrDigest)}" in ${this.location}`);
  }

  async fetchManifest(ref: string | Descriptor, { signal }: Cancellable = {}): Promise<FetchedManifest> {
    const resolved = typeof ref === 'string' ? await this.resolve(ref, { signal }) : ref;
    const what = `${this.location}: manifest ${resolved.digest}`;
    if (resolved.size > MAX_MANIFEST_BYTES) throw new SizeExceededError(what, MAX_MANIFEST_BYTES);
    const file = this.blobPath(resolved.digest);
    let bytes: Buffer;
    try {
      bytes = await readLayoutFile(this.root, file, MAX_MANIFEST_BYTES, what, signal);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw new AbortedError({ cause: err });
      throw err;
    }
    verifyBytes(what, bytes, resolved.digest, resolved.size);
    const manifest = parseManifestBytes(bytes, what);
    const descriptor = { ...resolved, mediaType: resolved.mediaType || mediaTypeOfManifest(manifest) };
    return { descriptor, bytes, manifest };
  }

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    const file = this.blobPath(descriptor.digest);
    const what = `${this.location}: blob ${descriptor.digest}`;
    const { handle } = await openLayoutFile(this.root, file, what);
    const source = handle.createReadStream({ highWaterMark: READ_BUFFER });
    const verified = new HashingStream({
      expected: descriptor.digest,
      expectedSize: descriptor.size,
      what,
      onBytes: options.onBytes,
    });
    pipeline(source, verified, () => undefined);
    return destroyOnAbort(verified, options.signal);
  }

  /** The blob's file with the identity it was checked as: it is later read only as that file (noSymlinks.ts). */
  async blobFile(descriptor: Descriptor): Promise<BlobFile | undefined> {
    const file = this.blobPath(descriptor.digest);
    const stat = await statLayoutEntry(this.root, file);
    return stat?.isFile() && stat.size === descriptor.size ? { path: file, checked: stat } : undefined;
  }

  async statBlob(digest: string, { signal }: Cancellable = {}): Promise<Descriptor | undefined> {
    throwIfAborted(signal);
    const stat = await statLayoutEntry(this.root, this.blobPath(digest));
    return stat?.isFile() ? { mediaType: 'application/octet-stream', digest, size: stat.size } : undefined;
  }

  async exists(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<boolean> {
    throwIfAborted(signal);
    const stat = await statLayoutEntry(this.root, this.blobPath(descriptor.digest));
    return stat !== undefined && stat.isFile() && stat.size === descriptor.size;
  }

  async pushBlob(descriptor: Descriptor, content: BlobContent, options: TransferOptions = {}): Promise<void> {
    const { signal, onBytes } = options;
    const destination = await this.own(this.blobPath(descriptor.digest));
    if (await this.keepExisting(descriptor, destination)) return;
    await makeFolders(path.dirname(destination));
    const check = new Hasher({
      expected: descriptor.digest,
      expectedSize: descriptor.size,
      what: `${this.location}: blob ${descriptor.digest}`,
      onBytes,
    });
    const temp = await this.storeTemp(content, check, signal);
    await this.placeBlob(temp, destination);
  }

  async pushUnhashedBlob(
    content: BlobContent,
    options: UnhashedBlobOptions = {},
  ): Promise<{ digest: string; size: number }> {
    const { signal, onBytes, expectedSize } = options;
    await makeFolders(await this.own(path.join(this.root, 'blobs', 'sha256')));
    const hasher = new Hasher({ expectedSize, what: `${this.location}: a blob`, onBytes });
    const temp = await this.storeTemp(content, hasher, signal);
    const stored = { digest: hasher.digest!, size: hasher.bytes };
    const destination = await this.own(this.blobPath(stored.digest));
    if (await this.keepExisting(stored, destination)) await removeQuietly(temp);
    else await this.placeBlob(temp, destination);
    return stored;
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    const { tag, signal } = options;
    throwIfAborted(signal);
    // Refused before anything is written: a bad tag or manifest, a type no garbage collection would walk.
    const { taggedType } = manifestToKeep(this.location, descriptor, bytes, tag);
    const tagged = taggedType !== undefined ? { ...descriptor, mediaType: taggedType } : undefined;
    const destination = await this.own(this.blobPath(descriptor.digest));
    if (!(await this.keepExisting(descriptor, destination))) {
      await makeFolders(path.dirname(destination));
      await writeFileAtomic(destination, bytes, path.join(this.root, 'blobs'));
      this.wroteBlob(destination);
    }
    if (tag !== undefined && tagged) await this.setTag(tagged, tag, signal, bytes);
    return { subjectIndexed: false };
  }

  async tag(descriptor: Descriptor, tag: string, { signal }: Cancellable = {}): Promise<void> {
    checkTagIn(this.location, tag);
    if (!(await this.exists(descriptor, { signal })))
      throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location} (cannot tag it "${tag}")`);
    // index.json records the type the manifest's own bytes declare: the caller's (a registry HEAD's Content-Type,
    // a listing's word) is nobody's check, and a layout writes its entries as given.
    const { manifest, bytes } = await this.fetchManifest(descriptor, { signal });
    await this.setTag(
      { ...descriptor, mediaType: taggedTypeIn(this.location, manifest, descriptor) },
      tag,
      signal,
      bytes,
    );
  }

  async *listTags(options: TagListing = {}): AsyncIterable<string[]> {
    throwIfAborted(options.signal);
    const index = await this.indexView();
    yield* tagPages(
      index.manifests.map(tagOfEntry).filter((t): t is string => t !== undefined),
      options,
    );
  }

  /** Removes the tag; an entry left with no tag leaves index.json (its blobs stay until garbageCollect). */
  async untag(tag: string, { signal }: Cancellable = {}): Promise<void> {
    await this.updateIndex((index) => {
      const before = index.manifests.length;
      index.manifests = index.manifests.filter((m) => tagOfEntry(m) !== tag);
      if (index.manifests.length === before) throw new NotFoundError(`tag "${printable(tag)}" in ${this.location}`);
    }, signal);
  }

  /** Removes every index.json entry for the manifest and its blob; blobs only it referenced stay until garbageCollect. */
  async deleteManifest(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<void> {
    const file = await this.own(this.blobPath(descriptor.digest));
    await this.updateIndex(async (index) => {
      const listed = index.manifests.some((m) => m.digest === descriptor.digest);
      const stored = await this.isFile(file);
      if (!listed && !stored) throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location}`);
      index.manifests = index.manifests.filter((m) => m.digest !== descriptor.digest);
      await fs.rm(file, { force: true });
    }, signal);
  }

  /**
   * ManifestReleaser: removes the manifest blob when nothing names it (releaseManifest.ts says what is looked at),
   * under the index lock, so that no writer of this layout tags it in between (setTag writes it again if so).
   */
  async releaseManifest(descriptor: Descriptor, { signal, untouchedSince }: ReleaseOptions = {}): Promise<boolean> {
    assertDigest(descriptor.digest);
    // In a batch the file may still name it until the next write: it is released after that write (false: not yet).
    if (this.batch) {
      this.batch.releaseLater({ descriptor, untouchedSince });
      return false;
    }
    return this.locked(() => this.releaseNow(descriptor, untouchedSince), signal);
  }

  /** releaseManifest under the index lock, held already. */
  private async releaseNow(descriptor: Descriptor, untouchedSince: number | undefined): Promise<boolean> {
    const stat = await statLayoutEntry(this.root, await this.own(this.blobPath(descriptor.digest)));
    if (!stat?.isFile()) return false;
    if (untouchedSince !== undefined && stat.mtimeMs >= untouchedSince) return false;
    if (!(await nothingNames(this, await this.indexView(), descriptor.digest))) return false;
    await removeBlob(this, descriptor.digest);
    return true;
  }

  /** Removes blobs that nothing reachable from index.json references, and temp files left by crashed writers. */
  async garbageCollect(options: GarbageCollectOptions = {}): Promise<GarbageCollectResult> {
    await this.batch?.write();
    return this.locked(() => collectGarbage(this, options), options.signal);
  }

  /** Reads index.json, lets `mutate` change it, and writes it back atomically, all under the layout lock. */
  async updateIndex(mutate: (index: ImageIndex) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    // A batch's tags are written first: `mutate` (an untag, a delete) sees and changes the file as this process does.
    await this.batch?.write();
    await this.locked(async () => {
      const index = await this.readIndex();
      await mutate(index);
      await this.writeIndex(index);
    }, signal);
  }

  /** Serialises referrers-index updates across processes (a lock of its own: they call pushManifest, which takes the index lock). */
  withReferrersLock<T>(work: () => Promise<T>, { signal }: Cancellable = {}): Promise<T> {
    if (this.batch) return this.batch.withReferrersLock(work);
    return withFileLock(this.referrersLockPath(), work, { ...this.referrersLockOptions(), signal });
  }

  private referrersLockPath(): string {
    return path.join(this.root, `${INDEX_FILE}.referrers.lock`);
  }

  private referrersLockOptions() {
    return {
      timeoutMs: this.options.lockTimeoutMs,
      staleMs: this.options.staleLockMs,
      what: `on the referrers of ${this.location}`,
    };
  }

  /**
   * Points `tag` at `descriptor` under the index lock. Its blob is checked there too: another writer may have
   * released it (releaseManifest) since it was written or looked at; `bytes` then write it again.
   */
  private async setTag(descriptor: Descriptor, tag: string, signal?: AbortSignal, bytes?: Buffer): Promise<void> {
    const entry = shareTypes(cleanDescriptor(withoutRefName(descriptor)));
    entry.annotations = { ...entry.annotations, [Annotation.refName]: tag };
    if (this.batch) {
      throwIfAborted(signal);
      this.batch.setTag(tag, entry, bytes);
      return;
    }
    await this.updateIndex(async (index) => {
      await this.keepTaggable(entry, bytes, tag);
      // The tag moves here; an untagged entry for the same manifest (other tools write those) becomes this one.
      index.manifests = index.manifests.filter(
        (m) =>
          tagOfEntry(m) !== tag && !(m.digest === entry.digest && m.annotations?.[Annotation.refName] === undefined),
      );
      index.manifests.push(entry);
    }, signal);
  }

  /**
   * Writes content into a temp file under blobs/, checked by `hasher` on the way; the caller moves it into place.
   * A local file (or a range of one, a blob inside an archive) is copied through reused buffers while it is hashed
   * (fileCopy.ts); a stream is written the way a pull writes (writeFileHashing: large blobs hashed by the hashing
   * thread while this one reads the network).
   */
  private async storeTemp(content: BlobContent, hasher: Hasher, signal?: AbortSignal): Promise<string> {
    const blobsDir = await this.own(path.join(this.root, 'blobs'));
    const { file, fileChecked: checked, fileRange: range } = content;
    if (file && hasher.options.expectedSize !== undefined)
      return copyFileToTemp({ path: file, checked, range }, blobsDir, hasher, signal);
    if (file) return chunksToTempFile(await openHashing(content, hasher, signal), blobsDir);
    const source = content.rawChunks ? await content.rawChunks(signal) : await content(0, signal);
    return writeTempFileHashing(source, blobsDir, hasher, { signal, about: blobsDir }).catch((err: unknown) => {
      if (source instanceof Readable) source.destroy();
      throw (err as Error).name === 'AbortError' ? new AbortedError({ cause: err }) : err;
    });
  }

  /**
   * True when the blob is already stored whole; its mtime is refreshed so a concurrent GC grace period keeps it.
   * `destination` comes from own(), which has just looked at every folder on the way: the file alone is looked at.
   */
  private async keepExisting(descriptor: Pick<Descriptor, 'size'>, destination: string): Promise<boolean> {
    const stat = await fs.lstat(destination).catch(() => undefined);
    if (!stat?.isFile() || stat.size !== descriptor.size) return false;
    const now = new Date();
    // lutimes: a link swapped in since the check gets the new time itself, its target is never touched.
    await fs.lutimes(destination, now, now).catch(() => undefined);
    return true;
  }

  private async placeBlob(temp: string, destination: string): Promise<void> {
    try {
      await fs.rename(temp, destination);
    } catch (err) {
      await removeQuietly(temp);
      throw err;
    }
    this.wroteBlob(destination);
    await syncDirectory(path.dirname(destination));
  }

  private async writeIndex(index: ImageIndex): Promise<void> {
    const written = { bytes: 0 };
    const text = indexTextPieces(index, written);
    const inode = await writeFileAtomic(await this.own(path.join(this.root, INDEX_FILE)), text);
    await this.indexCache.wrote(this.root, index, inode, written.bytes);
  }

  /**
   * The one check before touching an entry of the layout: no symbolic link from the layout folder down to
   * `file` (a linked blobs/<alg> would put pushed blobs wherever it points). Returns `file`.
   */
  async own(file: string): Promise<string> {
    await assertNoSymlink(this.root, file);
    return file;
  }

  private async isFile(file: string): Promise<boolean> {
    return (await statLayoutEntry(this.root, file))?.isFile() ?? false;
  }

  /**
   * Runs `work` under the index lock, on a layout that is still there: a failed run may remove a layout folder it
   * made (cli/createdLayouts.ts, under this lock) while this one writes into it, and a later write must then fail
   * saying so, not recreate a folder that lacks oci-layout and the blobs written before.
   */
  private async locked<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const options = {
      signal,
      timeoutMs: this.options.lockTimeoutMs,
      staleMs: this.options.staleLockMs,
      what: `on ${INDEX_FILE} of ${this.location}`,
    };
    const removed = () => new OciError('LAYOUT', `${this.root} was removed while this run was writing into it`);
    const stillThere = async () => {
      if (!(await this.isFile(path.join(this.root, LAYOUT_FILE)))) throw removed();
    };
    try {
      return await withFileLock(indexLockPath(this.root), () => stillThere().then(work), options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !(await fs.stat(this.root).catch(() => undefined)))
        throw removed();
      throw err;
    }
  }
}
