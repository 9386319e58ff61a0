// An OCI image layout inside a tar file (`oci-archive:<file.tar>`, skopeo's transport name), as a Target.
//
// Reading never extracts: the tar's headers are indexed once (archiveEntries.ts) and a blob is a byte range of
// the file, streamed through the same size-and-digest check as every other store.
// Writing cannot patch a tar in place, so writes go to a staging layout folder beside the archive
// (`.<name>.stowage-partial`, a plain LayoutTarget seeded with the archive's index.json) and `finish()` writes the
// whole archive again — blobs from the old archive and from staging, deterministic (archiveWriter.ts) — into a
// temp file renamed over the old one, then removes the staging folder. A run that fails leaves staging in place;
// the next run that opens the archive for writing picks it up, so what was already fetched is not fetched again.
//
// Only plain tar is read and written: a gzip-compressed archive has no byte ranges to seek to, and ORAS's backup
// and oras-go's tar reader handle `.tar` only (skopeo writes `.tar` too, though it can read compressed ones).
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import {
  algorithmOf,
  assertDigest,
  type Descriptor,
  encodedOf,
  type ImageIndex,
  isDigest,
  MAX_MANIFEST_BYTES,
  NotFoundError,
  OciError,
  printable,
  SizeExceededError,
  throwIfAborted,
  Annotation,
} from '../oci';
import {
  Hasher,
  HashingStream,
  verifyBytes,
  openLayoutFile,
  readLayoutFile,
  statLayoutEntry,
  mediaTypeOfManifest,
  parseManifestBytes,
  type BlobContent,
  type Cancellable,
  type FetchedManifest,
  type Finisher,
  type PushManifestResult,
  type ReferrersLock,
  type Target,
  type TransferOptions,
  type Untagger,
  destroyOnAbort,
} from '../content';
import { readArchiveEntries, isGzip, type ArchiveEntries, type ArchiveEntry } from './archiveEntries';
import { writeLayoutArchive, type ArchiveFile } from './archiveWriter';
import {
  checkLayoutVersion,
  emptyIndex,
  findTagged,
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

const READ_BUFFER = 1024 * 1024;
const COMPRESSED_NAME = /\.(tar\.gz|tgz|tar\.zst|tar\.xz|tar\.bz2)$/i;

export interface ArchiveOptions {
  /** Allow a missing archive: it is written by the first `finish()` after a write. */
  create?: boolean;
  /** Refuse every write (the editor browses archives it did not create; nothing would ever finish them). */
  readOnly?: boolean;
  signal?: AbortSignal;
}

export class ArchiveTarget implements Target, ReferrersLock, Untagger, Finisher {
  readonly kind = 'layout';
  readonly location: string;
  private staging: LayoutTarget | undefined;

  private readOnly = false;

  private constructor(
    readonly file: string,
    private entries: ArchiveEntries,
    private archivedIndex: ImageIndex,
  ) {
    this.location = `oci-archive:${file}`;
  }

  /** Where writes wait for `finish()`; a run that failed leaves it for the next one. */
  get stagingFolder(): string {
    return stagingFolderOf(this.file);
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
      await target.resumeStaging();
      return target;
    }
    if (!stat.isFile())
      throw new OciError('LAYOUT', `${where} is not a regular file (a link or folder is not a layout archive)`);
    await refuseCompressed(file, where);
    const entries = await readArchiveEntries(file, where, options.signal);
    const target = new ArchiveTarget(file, entries, emptyIndex());
    const layoutText = await target.readEntry(LAYOUT_FILE, MAX_LAYOUT_FILE_BYTES).catch((err: unknown) => {
      throw OciError.is(err, 'NOT_FOUND')
        ? new OciError('LAYOUT', `${where} is not an OCI image layout archive: it has no ${LAYOUT_FILE} entry`)
        : err;
    });
    checkLayoutVersion(where, layoutText.toString('utf8'));
    const indexBytes = await target.readEntry(INDEX_FILE, MAX_INDEX_BYTES).catch((err: unknown) => {
      throw OciError.is(err, 'NOT_FOUND') ? new OciError('LAYOUT', `${where}: it has no ${INDEX_FILE} entry`) : err;
    });
    target.archivedIndex = parseIndex(where, indexBytes.toString('utf8'));
    target.readOnly = !!options.readOnly;
    if (options.create && !options.readOnly) await target.resumeStaging();
    return target;
  }

  // ---- reading: staging first (the newest writes), then the archive ----

  async readIndex(): Promise<ImageIndex> {
    return this.staging ? this.staging.readIndex() : structuredClone(this.archivedIndex);
  }

  async resolve(tagOrDigest: string, { signal }: Cancellable = {}): Promise<Descriptor> {
    throwIfAborted(signal);
    const index = await this.readIndex();
    if (isDigest(tagOrDigest)) {
      const entry = index.manifests.find((m) => m.digest === tagOrDigest);
      if (entry) return withoutRefName(entry);
      const bytes = await this.manifestBytes(tagOrDigest, undefined, signal);
      const manifest = parseManifestBytes(bytes, `${this.location}: manifest ${tagOrDigest}`);
      return { mediaType: mediaTypeOfManifest(manifest), digest: tagOrDigest, size: bytes.length };
    }
    const entry = findTagged(index, tagOrDigest);
    if (!entry) throw new NotFoundError(`tag "${printable(tagOrDigest)}" in ${this.location}`);
    return withoutRefName(entry);
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

  async fetchBlob(descriptor: Descriptor, options: TransferOptions = {}): Promise<Readable> {
    throwIfAborted(options.signal);
    if (this.staging && (await this.staging.exists(descriptor))) return this.staging.fetchBlob(descriptor, options);
    const what = `${this.location}: blob ${descriptor.digest}`;
    const entry = this.blobEntry(descriptor.digest);
    if (!entry) throw new NotFoundError(`blob ${descriptor.digest} in ${this.location}`);
    const verified = new HashingStream({
      expected: descriptor.digest,
      expectedSize: descriptor.size,
      what,
      onBytes: options.onBytes,
    });
    pipeline(this.rangeStream(entry), verified, () => undefined);
    return destroyOnAbort(verified, options.signal);
  }

  async exists(descriptor: Descriptor, { signal }: Cancellable = {}): Promise<boolean> {
    throwIfAborted(signal);
    if (this.blobEntry(descriptor.digest)?.size === descriptor.size) return true;
    return this.staging ? this.staging.exists(descriptor, { signal }) : false;
  }

  /** Size of the blob stored under `digest` (archive or staging), undefined when none: lint's BlobStore. */
  async blobSize(digest: string): Promise<number | undefined> {
    if (!isDigest(digest)) return undefined;
    const staged = this.staging ? await statLayoutEntry(this.staging.root, this.staging.blobPath(digest)) : undefined;
    if (staged?.isFile()) return staged.size;
    return this.blobEntry(digest)?.size;
  }

  /** Digest of the bytes stored under `digest` (read once, streamed): lint's BlobStore. */
  async computeDigest(digest: string): Promise<string> {
    const size = await this.blobSize(digest);
    if (size === undefined) throw new NotFoundError(`blob ${digest} in ${this.location}`);
    const hasher = new Hasher({ algorithm: algorithmOf(digest), what: `${this.location}: blob ${digest}` });
    const staged = this.staging && (await this.staging.exists({ mediaType: '', digest, size }));
    const stream = staged
      ? await this.staging!.fetchBlob({ mediaType: '', digest, size }).catch(() => undefined)
      : this.rangeStream(this.blobEntry(digest)!);
    if (!stream) throw new NotFoundError(`blob ${digest} in ${this.location}`);
    for await (const chunk of stream) hasher.update(chunk as Buffer);
    return hasher.finish();
  }

  async *listTags(options: { signal?: AbortSignal; pageSize?: number } = {}): AsyncIterable<string[]> {
    throwIfAborted(options.signal);
    const index = await this.readIndex();
    const tags = [...new Set(index.manifests.map(tagOfEntry).filter((t): t is string => t !== undefined))].sort();
    const pageSize = options.pageSize && options.pageSize > 0 ? options.pageSize : Math.max(tags.length, 1);
    for (let i = 0; i < tags.length; i += pageSize) yield tags.slice(i, i + pageSize);
  }

  // ---- writing: into staging, made durable by finish() ----

  async pushBlob(descriptor: Descriptor, content: BlobContent, options: TransferOptions = {}): Promise<void> {
    if (this.blobEntry(descriptor.digest)?.size === descriptor.size) return;
    await (await this.writable()).pushBlob(descriptor, content, options);
  }

  async pushManifest(
    descriptor: Descriptor,
    bytes: Buffer,
    options: { tag?: string; signal?: AbortSignal } = {},
  ): Promise<PushManifestResult> {
    return (await this.writable()).pushManifest(descriptor, bytes, options);
  }

  async tag(descriptor: Descriptor, tag: string, { signal }: Cancellable = {}): Promise<void> {
    // Already so: no staging, so a rerun that changes nothing does not rewrite the whole archive.
    if (findTagged(await this.readIndex(), tag)?.digest === descriptor.digest) return;
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
    await staging.updateIndex((index) => {
      const before = index.manifests.length;
      index.manifests = index.manifests.filter((m) => m.digest !== descriptor.digest);
      if (index.manifests.length === before && !this.blobEntry(descriptor.digest))
        throw new NotFoundError(`manifest ${descriptor.digest} in ${this.location}`);
    }, signal);
  }

  async withReferrersLock<T>(work: () => Promise<T>, options: Cancellable = {}): Promise<T> {
    return (await this.writable()).withReferrersLock(work, options);
  }

  stagedIn(): string | undefined {
    return this.staging?.root;
  }

  /** Writes the archive again with everything staged, atomically; then staging is removed. */
  async finish({ signal }: Cancellable = {}): Promise<void> {
    const staging = this.staging;
    if (!staging) return;
    const files = new Map<string, ArchiveFile>();
    for (const [name, entry] of this.entries.files) {
      const digest = digestOfBlobName(name);
      if (digest) files.set(name, { name, size: entry.size, open: async () => this.verifiedRange(entry, digest) });
    }
    for (const blob of await stagedBlobs(staging)) files.set(blob.name, blob);
    const index = await staging.readIndex();
    const indexBytes = Buffer.from(JSON.stringify(canonicalIndex(index)));
    const layoutBytes = Buffer.from(JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
    files.set(INDEX_FILE, bytesFile(INDEX_FILE, indexBytes));
    files.set(LAYOUT_FILE, bytesFile(LAYOUT_FILE, layoutBytes));
    await writeLayoutArchive(this.file, [...files.values()], signal);
    await fs.rm(staging.root, { recursive: true, force: true });
    this.staging = undefined;
    this.entries = await readArchiveEntries(this.file, this.location, signal);
    this.archivedIndex = index;
  }

  // ---- internals ----

  /** Reopens the staging folder a failed run left, so its blobs count as present. */
  private async resumeStaging(): Promise<void> {
    const folder = this.stagingFolder;
    if (await fs.lstat(path.join(folder, LAYOUT_FILE)).catch(() => undefined))
      this.staging = await LayoutTarget.open(folder);
  }

  private async writable(): Promise<LayoutTarget> {
    if (this.readOnly) {
      throw new OciError(
        'UNSUPPORTED',
        `${this.location} is opened read-only: copy what you need to a layout folder or a registry, or back up into a new archive`,
      );
    }
    if (this.staging) return this.staging;
    await this.resumeStaging();
    if (this.staging) return this.staging;
    const staging = await LayoutTarget.open(this.stagingFolder, { create: true });
    const seed = structuredClone(this.archivedIndex);
    await staging.updateIndex((index) => {
      index.manifests = seed.manifests;
      if (seed.annotations) index.annotations = seed.annotations;
    });
    this.staging = staging;
    return staging;
  }

  private blobEntry(digest: string): ArchiveEntry | undefined {
    assertDigest(digest, `${this.location}: digest`);
    return this.entries.files.get(`blobs/${algorithmOf(digest)}/${encodedOf(digest)}`);
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
      const entry = this.blobEntry(digest);
      if (!entry) throw new NotFoundError(`manifest ${digest} in ${this.location}`);
      if (entry.size > MAX_MANIFEST_BYTES) throw new SizeExceededError(what, MAX_MANIFEST_BYTES);
      throwIfAborted(signal);
      bytes = await this.readRange(entry);
    }
    verifyBytes(what, bytes, digest, size);
    return bytes;
  }

  /** A small entry (oci-layout, index.json) read whole, refused beyond `cap`. */
  private async readEntry(name: string, cap: number): Promise<Buffer> {
    const entry = this.entries.files.get(name);
    if (!entry) throw new NotFoundError(`${name} in ${this.location}`);
    if (entry.size > cap)
      throw new OciError('SIZE_EXCEEDED', `${this.location}: ${name} is ${entry.size} bytes; at most ${cap} are read`);
    return this.readRange(entry);
  }

  private async readRange(entry: ArchiveEntry): Promise<Buffer> {
    const handle = await fs.open(this.file, 'r');
    try {
      const bytes = Buffer.alloc(entry.size);
      for (let done = 0; done < entry.size;) {
        const { bytesRead } = await handle.read(bytes, done, entry.size - done, entry.offset + done);
        if (bytesRead === 0) throw new OciError('LAYOUT', `${this.location} was cut short while reading it`);
        done += bytesRead;
      }
      return bytes;
    } finally {
      await handle.close();
    }
  }

  private rangeStream(entry: ArchiveEntry): Readable {
    if (entry.size === 0) return Readable.from([]);
    return createReadStream(this.file, {
      start: entry.offset,
      end: entry.offset + entry.size - 1,
      highWaterMark: READ_BUFFER,
    });
  }

  /** An archived blob carried into the rewritten archive, checked on the way (the old file is hostile input too). */
  private verifiedRange(entry: ArchiveEntry, digest: string): Readable {
    const verified = new HashingStream({
      expected: digest,
      expectedSize: entry.size,
      what: `${this.location}: blob ${digest}`,
    });
    pipeline(this.rangeStream(entry), verified, () => undefined);
    return verified;
  }
}

/** The staging folder of an archive: hidden, beside it (same file system, so nothing crosses devices). */
export function stagingFolderOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.stowage-partial`);
}

async function refuseCompressed(file: string, where: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (isGzip(head)) {
      throw new OciError(
        'UNSUPPORTED',
        `${where} is gzip-compressed: Stowage reads layout archives as plain tar, by byte ranges (as ORAS does); decompress it first (gunzip)`,
      );
    }
  } finally {
    await handle.close();
  }
}

/** "blobs/sha256/<64 hex>" → "sha256:<64 hex>"; undefined for anything else (folders, temp files, strays). */
function digestOfBlobName(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length !== 3 || parts[0] !== 'blobs') return undefined;
  const digest = `${parts[1]}:${parts[2]}`;
  return isDigest(digest) ? digest : undefined;
}

/** The blobs a staging layout holds (verified when they were written; temp files are not blobs). */
async function stagedBlobs(staging: LayoutTarget): Promise<ArchiveFile[]> {
  const blobs: ArchiveFile[] = [];
  const root = path.join(staging.root, 'blobs');
  for (const algorithm of await fs.readdir(root).catch(() => [] as string[])) {
    for (const encoded of await fs.readdir(path.join(root, algorithm)).catch(() => [] as string[])) {
      const name = `blobs/${algorithm}/${encoded}`;
      if (!digestOfBlobName(name)) continue;
      const file = await staging.own(path.join(root, algorithm, encoded));
      const stat = await fs.lstat(file);
      if (!stat.isFile()) continue;
      // Opened later, when the archive is written: only as the file checked here, never through a link.
      const open = async () =>
        (await openLayoutFile(staging.root, file, name, stat)).handle.createReadStream({ highWaterMark: READ_BUFFER });
      blobs.push({ name, size: stat.size, open });
    }
  }
  return blobs;
}

function bytesFile(name: string, bytes: Buffer): ArchiveFile {
  return { name, size: bytes.length, open: async () => Readable.from([bytes]) };
}

/** index.json with its entries in a fixed order (by ref.name, then digest): the same content, the same bytes. */
function canonicalIndex(index: ImageIndex): ImageIndex {
  const key = (d: Descriptor) => `${d.annotations?.[Annotation.refName] ?? '\uffff'}\u0000${d.digest}`;
  return { ...index, manifests: [...index.manifests].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}
