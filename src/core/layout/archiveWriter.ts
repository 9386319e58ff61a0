// Writes a layout archive: a plain tar (as skopeo's `oci-archive:` and ORAS's `--oci-layout` with a .tar write
// and read) holding oci-layout, index.json and blobs/<alg>/<encoded>. Deterministic: entries sorted by name,
// mtime 0, uid/gid 0, no user or group names, files 0644 and folders 0755, so the same content always gives the
// same bytes. Written into a temp file beside the destination and renamed over it only once complete and fsync'd.
//
// Every body is copied from a local file (a byte range: a staged blob, a blob of the old archive, a blob of the
// source layout) and, when its digest is given, hashed on the way: the one pass over the bytes checks them and
// writes them, through a ring of buffers (pipelinedCopy.ts: the next chunk is read and the last one written while
// this thread hashes the current one). Handing the chunks to the shared hashing thread instead (writeHashingAt)
// was no faster on two cores (1 GiB from a layout: 2.0 s against 1.55 s, medians of 4) and took 40 MiB more: the
// thread hashes and writes one after the other, where here the write overlaps the hash.
// Headers and small files are gathered into one buffer and written together. The headers are encoded here (POSIX
// ustar; a pax record for a name or size ustar cannot hold): a stream library in between (tar-stream) cost about
// three times what `tar -cf` takes for the same bytes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { formatBytes, OciError, throwIfAborted } from '../oci';
import {
  BackgroundFlush,
  copyPipelined,
  Hasher,
  openLayoutFile,
  readAllAt,
  removeQuietly,
  syncDirectory,
  tempPathIn,
  writeAllAt,
  type WriteProgress,
} from '../content';
import { inNameOrder } from './archiveFileLists';
import { digestOfBlobName } from './archiveNames';

const BLOCK = 512;
/** Zeros for padding and the end-of-archive marker (two blocks), shared: no buffer of its own per entry. */
const ZEROS = Buffer.alloc(2 * BLOCK);
/** Gathered writes in flight at most: past this, gathering waits (else reads outrun the disk, a buffer each). */
const MAX_WRITES_IN_FLIGHT = 4;
/** The largest size an 11-digit octal field holds (8 GiB - 1); larger ones go in a pax record. */
const MAX_OCTAL_SIZE = 0o77777777777;
/** Headers and bodies up to this size are gathered here and written together. */
const GATHER = 1024 * 1024;
/**
 * While a large archive is written, its data is flushed to disk in the background every this many bytes, so the
 * disk works while this thread hashes and the final fsync has little left to do (1 GiB: 1.55 s against 1.83 s
 * with one fsync at the end, medians of 4 on a busy machine).
 */
export const FLUSH_EVERY = 64 * 1024 * 1024;

export interface ArchiveFile {
  /** "index.json", "blobs/sha256/<encoded>"… ("/"-separated, relative). */
  name: string;
  size: number;
  /**
   * The bytes: in memory, or `size` bytes of a local file from `offset` (0 by default), opened by `open` where
   * given (a staged blob opened only as the file checked) and else as a plain file.
   */
  source: { bytes: Buffer } | { file: string; offset?: number; open?: () => Promise<fs.FileHandle> } | StagedSource;
  /** Checked while the bytes are copied: a mismatch fails the whole write. Unset for bytes in memory, verified. */
  digest?: string;
  /**
   * Checked as `digest` is, against the digest its name gives (blobs/<alg>/<encoded>): a staged blob, whose list
   * holds 100,000 entries in a large backup, carries no digest string of its own.
   */
  digestFromName?: true;
  /** Names the bytes in errors ("blob sha256:… from /src/layout/blobs/sha256/…"). */
  what?: string;
}

/**
 * A blob of a staging layout, at `name` under `stagedIn`, opened only as the file of that device and inode, never
 * through a link: the one root string is shared by every entry, so a list of 100,000 staged blobs holds no path
 * and no function of its own for each (about half of what each entry cost).
 */
export interface StagedSource {
  stagedIn: string;
  dev: number;
  ino: number;
}

/** How far the write of an archive is: bytes of its files handed to the disk, of their sum; files copied. */
type ArchiveWriteProgress = WriteProgress;

export interface ArchiveWriteOptions {
  signal?: AbortSignal;
  /** Called as the tar grows (a large archive takes seconds to write, after every byte was fetched). */
  onProgress?: (progress: Readonly<ArchiveWriteProgress>) => void;
  /** Background flush interval in bytes (default FLUSH_EVERY; 0: one fsync at the end only). */
  flushEvery?: number;
  /** Names in errors a file with no `what` of its own (a staged blob: where it is); by default its name in the tar. */
  describe?: (name: string) => string;
}

/**
 * Files handed to the writer in name order, one at a time (archiveFileLists.ts): a large backup stages 120,000
 * blobs, too many to hold as an object each at once.
 */
export interface SortedArchiveFiles {
  readonly count: number;
  readonly totalBytes: number;
  /** The files in ascending name order (by UTF-16 code unit, as `<` compares), each name once. */
  sorted(): Iterable<ArchiveFile>;
}

/** Writes `files` (and the folders above them) as a deterministic tar at `destination`, atomically. */
export async function writeLayoutArchive(
  destination: string,
  files: readonly ArchiveFile[] | SortedArchiveFiles,
  options: ArchiveWriteOptions = {},
): Promise<void> {
  const { signal } = options;
  const list = Array.isArray(files) ? inNameOrder(files as readonly ArchiveFile[]) : (files as SortedArchiveFiles);
  const temp = tempPathIn(path.dirname(destination), `.${path.basename(destination)}.`);
  const progress: ArchiveWriteProgress = {
    doneBytes: 0,
    totalBytes: list.totalBytes,
    doneItems: 0,
    totalItems: list.count,
    skippedItems: 0,
  };
  const onWritten = options.onProgress
    ? (bodies: number) => {
        progress.doneBytes = bodies;
        options.onProgress!(progress);
      }
    : undefined;
  const out = new TarOutput(await fs.open(temp, 'wx'), options.flushEvery ?? FLUSH_EVERY, onWritten);
  const sources = new SourceFiles();
  // A folder's entry goes just before the first file under it: in name order it sorts there ("blobs/" before
  // "blobs/sha256/…", and no other name between them), so the bytes are those of sorting folders with the files.
  const folders = new Set<string>();
  try {
    for (const entry of list.sorted()) {
      throwIfAborted(signal);
      for (let end = entry.name.indexOf('/'); end > 0; end = entry.name.indexOf('/', end + 1)) {
        const folder = entry.name.slice(0, end + 1);
        if (folders.has(folder)) continue;
        folders.add(folder);
        await out.header(folder, 0, '5');
      }
      await out.header(entry.name, entry.size, '0');
      await copyBody(entry, out, sources, options);
      progress.doneItems++;
      await out.gather(ZEROS.subarray(0, (BLOCK - (entry.size % BLOCK)) % BLOCK));
    }
    await out.gather(ZEROS); // the end-of-archive marker
    await out.finish();
    await fs.rename(temp, destination);
  } catch (err) {
    await out.abandon();
    await removeQuietly(temp);
    throw noRoomFor(err, destination, list.totalBytes);
  } finally {
    await sources.close();
  }
  await syncDirectory(path.dirname(destination));
}

/** Copies one body into the tar, hashing it when its digest is given. */
async function copyBody(
  file: ArchiveFile,
  out: TarOutput,
  sources: SourceFiles,
  { signal, describe }: ArchiveWriteOptions,
): Promise<void> {
  const what = file.what ?? describe?.(file.name) ?? file.name;
  const expected = file.digest ?? (file.digestFromName && digestOfBlobName(file.name));
  const hasher = expected ? new Hasher({ expected, expectedSize: file.size, what }) : undefined;
  if ('bytes' in file.source) {
    if (file.source.bytes.length !== file.size)
      throw new OciError('INVALID_CONTENT', `${what}: expected ${file.size} bytes, got ${file.source.bytes.length}`);
    hasher?.update(file.source.bytes);
    hasher?.finish();
    // index.json of a backup of 10,000 signed tags takes 4.9 MB: more than is gathered, written on its own.
    if (file.size <= GATHER) await out.gather(file.source.bytes, true);
    else {
      await out.flushGathered();
      await out.write(file.source.bytes);
    }
    return;
  }
  const { file: sourcePath, offset = 0, open } = sourceFile(file.name, file.source, what);
  const handle = await sources.open(sourcePath, offset, file.size, what, open);
  try {
    await copyFrom(handle, offset, file, out, hasher, what, signal);
  } finally {
    // A file of its own (a staged or local blob: `open`) is closed once copied; only a file many entries share (an
    // archive being rewritten) stays open. A .tar backup of 10,000 signed tags stages 120,000 blobs: kept open,
    // they ran out of descriptors (EMFILE) a few thousand in, after every tag had been fetched.
    if (open) await sources.close(sourcePath);
  }
  hasher?.finish();
}

/** Copies `file`'s `size` bytes from `offset` of the open `handle` into the tar. */
async function copyFrom(
  handle: fs.FileHandle,
  offset: number,
  file: ArchiveFile,
  out: TarOutput,
  hasher: Hasher | undefined,
  what: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const read = (buffer: Buffer, at: number, length: number) =>
    readAllAt(
      handle,
      buffer.subarray(0, length),
      offset + at,
      (got) =>
        new OciError(
          'INVALID_CONTENT',
          `${what}: the file ended after ${at + got} of ${file.size} bytes (it changed while it was copied)`,
        ),
    );
  if (file.size <= GATHER) {
    // Read straight into the gathering buffer: a small body costs one read, no write of its own.
    const slot = await out.reserve(file.size, true);
    await read(slot, 0, file.size);
    hasher?.update(slot);
  } else {
    await out.flushGathered();
    await copyPipelined(
      file.size,
      (buffer, at) => read(buffer, at, buffer.length),
      (chunk) => out.write(chunk),
      hasher,
      signal,
    );
  }
}

/**
 * The tar being written: positioned writes at increasing offsets (large chunks written as they come, several in
 * flight; small pieces gathered first), with a background flush to disk as the file grows.
 */
class TarOutput {
  private position = 0;
  private gathered = Buffer.allocUnsafeSlow(GATHER);
  private used = 0;
  /** Bytes of files' bodies among those gathered, and among those handed to the disk. */
  private gatheredBodies = 0;
  private writtenBodies = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private failure: unknown;
  private readonly flush: BackgroundFlush;

  constructor(
    private readonly handle: fs.FileHandle,
    flushEvery: number,
    /**
     * Bytes of the files' bodies handed to the disk so far: the tar's headers and padding are left out, or the
     * progress of 120,000 small blobs (a header each, as large as the blob) reached 100% with half of them to go.
     */
    private readonly onWritten?: (bodies: number) => void,
  ) {
    this.flush = new BackgroundFlush(handle, flushEvery);
  }

  /** Appends small bytes to the gathering buffer (written when it fills or before a large write). */
  async gather(bytes: Uint8Array, body = false): Promise<void> {
    if (bytes.length) (await this.reserve(bytes.length, body)).set(bytes);
  }

  /** Appends an entry's header block(s), encoded straight into the gathering buffer. */
  async header(name: string, size: number, type: '0' | '5'): Promise<void> {
    const split = splitName(name);
    if (split && size <= MAX_OCTAL_SIZE) ustarHeader((await this.reserve(BLOCK)).fill(0), split, size, type);
    else await this.gather(entryHeaders(name, size, type));
  }

  /** The next `length` bytes of the gathering buffer, for the caller to fill before its next call here. */
  async reserve(length: number, body = false): Promise<Buffer> {
    if (length > GATHER) throw new Error(`cannot gather ${length} bytes`);
    if (this.used + length > GATHER) await this.flushGathered();
    if (body) this.gatheredBodies += length;
    const slot = this.gathered.subarray(this.used, this.used + length);
    this.used += length;
    return slot;
  }

  /** Writes what was gathered (its buffer is replaced, so the write may finish in the background). */
  async flushGathered(): Promise<void> {
    if (this.used === 0) return;
    const bytes = this.gathered.subarray(0, this.used);
    const bodies = this.gatheredBodies;
    this.gathered = Buffer.allocUnsafeSlow(GATHER);
    this.used = 0;
    this.gatheredBodies = 0;
    void this.write(bytes, bodies).catch(() => undefined); // a failure is kept and thrown by the next call
    this.throwIfFailed();
    while (this.inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  /**
   * Writes `bytes` (of which `bodies` are files' bodies: all unless said) at the current end; the promise settles
   * when they are written. The buffer must stay unchanged till then.
   */
  write(bytes: Buffer, bodies = bytes.length): Promise<void> {
    const at = this.position;
    this.position += bytes.length;
    this.writtenBodies += bodies;
    const done = this.writeAt(bytes, at).catch((err: unknown) => {
      this.failure ??= err;
      throw err;
    });
    const tracked = done.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    this.flush.after(this.position);
    this.onWritten?.(this.writtenBodies);
    return done;
  }

  /** Everything written and fsync'd, the file closed. */
  async finish(): Promise<void> {
    await this.flushGathered();
    await this.settle();
    this.throwIfFailed();
    await this.handle.sync();
    await this.handle.close();
  }

  /** After a failure: waits for writes in flight, closes the file. */
  async abandon(): Promise<void> {
    await this.settle().catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
    await this.flush.settled();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private async writeAt(bytes: Buffer, at: number): Promise<void> {
    await writeAllAt(this.handle, [bytes], at);
  }
}

/** The files bodies are copied from, each opened once (the old archive serves many blobs) and closed at the end. */
/** Where a file's bytes are read from; a staged blob's path and opening made only now, as it is written. */
function sourceFile(
  name: string,
  source: Exclude<ArchiveFile['source'], { bytes: Buffer }>,
  what: string,
): { file: string; offset?: number; open?: () => Promise<fs.FileHandle> } {
  if (!('stagedIn' in source)) return source;
  const { stagedIn, dev, ino } = source;
  const file = path.join(stagedIn, ...name.split('/'));
  return { file, open: async () => (await openLayoutFile(stagedIn, file, what, { dev, ino })).handle };
}

class SourceFiles {
  private readonly open_ = new Map<string, fs.FileHandle>();

  /** The file, checked to hold at least `offset + size` bytes. */
  async open(
    file: string,
    offset: number,
    size: number,
    what: string,
    open: () => Promise<fs.FileHandle> = () => fs.open(file, 'r'),
  ): Promise<fs.FileHandle> {
    let handle = this.open_.get(file);
    if (!handle) {
      handle = await open().catch((err: unknown) => {
        if (OciError.is(err)) throw err;
        throw new OciError(
          'NOT_FOUND',
          `${what}: cannot open it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
          { cause: err },
        );
      });
      this.open_.set(file, handle);
    }
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size < offset + size)
      throw new OciError(
        'INVALID_CONTENT',
        `${what}: expected ${size} bytes, the file holds ${Math.max(0, stat.size - offset)} (it changed since it was named)`,
      );
    return handle;
  }

  /** Closes `file`, or every file open when none is named. */
  async close(file?: string): Promise<void> {
    const files = file === undefined ? [...this.open_.keys()] : [file];
    for (const name of files) {
      const handle = this.open_.get(name);
      this.open_.delete(name);
      await handle?.close().catch(() => undefined);
    }
  }
}

/** The header block(s) of one entry: a pax record first when the name or size does not fit ustar. */
function entryHeaders(name: string, size: number, type: '0' | '5'): Buffer {
  const split = splitName(name);
  const records: string[] = [];
  if (!split) records.push(paxRecord('path', name));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord('size', String(size)));
  const main = ustarHeader(
    Buffer.alloc(BLOCK),
    split ?? { prefix: '', name: name.slice(0, 100) },
    size > MAX_OCTAL_SIZE ? 0 : size,
    type,
  );
  if (!records.length) return main;
  const body = Buffer.from(records.join(''), 'utf8');
  const paxHeader = ustarHeader(Buffer.alloc(BLOCK), { prefix: '', name: 'PaxHeader' }, body.length, 'x');
  const padding = Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK);
  return Buffer.concat([paxHeader, body, padding, main]);
}

/** "<length> key=value\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length++;
  return `${length}${rest}`;
}

/** ustar's name (100 bytes) and prefix (155 bytes, split at a "/"), or undefined when it cannot hold the name. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
    const prefix = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '')
      return { prefix, name: rest };
  }
  return undefined;
}

/** Fills `header` (a zeroed block) with a ustar header; returns it. */
function ustarHeader(
  header: Buffer,
  name: { prefix: string; name: string },
  size: number,
  type: '0' | '5' | 'x',
): Buffer {
  header.write(name.name, 0, 100, 'utf8');
  header.write(type === '5' ? '0000755\0' : '0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1'); // uid
  header.write('0000000\0', 116, 'latin1'); // gid
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1'); // mtime
  header.write(type, 156, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  header.write('0000000\0', 329, 'latin1'); // devmajor
  header.write('0000000\0', 337, 'latin1'); // devminor
  header.write(name.prefix, 345, 155, 'utf8');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += header[i]!;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

/** Why a file cannot grow, in words: the disk, a quota or a file size limit (`ulimit -f`). */
const NO_ROOM: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would pass the largest size this system or process allows',
};

/**
 * A write that ran out of room, told with the archive and the room it needs: Node's "ENOSPC: no space left on
 * device, write" names neither, and the archive is written whole beside the old one before it replaces it.
 */
function noRoomFor(err: unknown, destination: string, size: number): unknown {
  const words = NO_ROOM[(err as NodeJS.ErrnoException | undefined)?.code ?? ''];
  if (!words) return err;
  return new OciError(
    'LAYOUT',
    `${destination} could not be written (${words}): the archive takes ${formatBytes(size)}, written whole in ${path.dirname(destination)} before it replaces the old one; make room there, then run the command again`,
    { cause: err },
  );
}
