// A folder as a deterministic tar+gzip: the same folder content always gives the same bytes and digests.
//
// Entries are sorted by path (code unit order), carry mtime 0, uid/gid 0 and no user or group names;
// modes are normalised (folders 0755, files 0644 or 0755 when any execute bit is set, symlinks 0777);
// gzip uses fixed settings and its header's OS byte is set to 255 ("unknown") so the platform does not
// leak into the bytes. Sockets, FIFOs and devices cannot be packed and are refused.
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlib } from 'node:zlib';
import * as tar from 'tar-stream';
import { HashingStream, streamToTempFile } from '../content';
import { OciError, printable, throwIfAborted, UnsafePathError } from '../oci';
import { symlinkTargetProblem } from './safeNames';

const READ_BUFFER = 1024 * 1024;
const EPOCH = new Date(0);

export interface StagedTarGz {
  /** The temp file holding the tar+gzip bytes. */
  file: string;
  digest: string;
  size: number;
  /** Digest and size of the uncompressed tar (the ORAS `io.deis.oras.content.digest`). */
  tarDigest: string;
  tarSize: number;
}

interface FolderEntry {
  /** The tar name: `<prefix>/<relative path>` with "/" separators. */
  name: string;
  absolute: string;
  stats: Stats;
}

/** Walks `dir` without following symlinks; entries come back sorted by tar name. */
async function listFolder(dir: string, prefix: string, signal?: AbortSignal): Promise<FolderEntry[]> {
  const entries: FolderEntry[] = [{ name: prefix, absolute: dir, stats: await fs.lstat(dir) }];
  const pending = [{ absolute: dir, name: prefix }];
  while (pending.length) {
    throwIfAborted(signal);
    const current = pending.pop()!;
    for (const child of await fs.readdir(current.absolute)) {
      const absolute = path.join(current.absolute, child);
      const name = `${current.name}/${child}`;
      const stats = await fs.lstat(absolute);
      entries.push({ name, absolute, stats });
      if (stats.isDirectory()) pending.push({ absolute, name });
    }
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function fileMode(stats: Stats): number {
  return stats.mode & 0o111 ? 0o755 : 0o644;
}

async function addEntry(
  pack: tar.Pack,
  entry: FolderEntry,
  signal?: AbortSignal,
  onRead?: (bytes: number) => void,
): Promise<void> {
  const base = { name: entry.name, mtime: EPOCH, uid: 0, gid: 0, uname: '', gname: '' };
  const { stats } = entry;
  if (stats.isDirectory()) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ ...base, type: 'directory', mode: 0o755 }, (err) => (err ? reject(err) : resolve())),
    );
  } else if (stats.isSymbolicLink()) {
    const linkname = await fs.readlink(entry.absolute);
    await new Promise<void>((resolve, reject) =>
      pack.entry({ ...base, type: 'symlink', mode: 0o777, linkname }, (err) => (err ? reject(err) : resolve())),
    );
  } else if (stats.isFile()) {
    const done = new Promise<void>((resolve, reject) => {
      const sink = pack.entry({ ...base, type: 'file', mode: fileMode(stats), size: stats.size }, (err) =>
        err ? reject(err) : resolve(),
      );
      const reading = createReadStream(entry.absolute, { highWaterMark: READ_BUFFER });
      if (onRead) reading.on('data', (chunk) => onRead(chunk.length));
      pipeline(reading, sink, { signal }).catch(reject);
    });
    await done;
  } else {
    throw new OciError(
      'UNSUPPORTED',
      `cannot pack "${printable(entry.absolute)}": only files, folders and symlinks can be packed (not sockets, FIFOs or devices)`,
    );
  }
}

/**
 * Refuses symlinks that point outside the folder being pushed (absolute, climbing out, or through a chain of
 * links), or nowhere: the published archive would hand that path to whoever pulls it, and Stowage's pull
 * (like ORAS's) refuses such links anyway. Refusing beats resolving: copying what the link points to would
 * publish a file from outside the folder the user chose.
 */
async function assertLinksStayInside(dir: string, prefix: string, entries: FolderEntry[]): Promise<void> {
  const root = await fs.realpath(dir);
  for (const entry of entries) {
    if (!entry.stats.isSymbolicLink()) continue;
    const linkname = await fs.readlink(entry.absolute);
    let problem = symlinkTargetProblem(entry.name, linkname, prefix);
    if (!problem) {
      const resolved = await fs.realpath(entry.absolute).catch(() => undefined);
      if (resolved === undefined) problem = `it is dangling or loops (nothing exists at "${linkname}")`;
      else if (resolved !== root && !resolved.startsWith(`${root}${path.sep}`))
        problem = `it resolves outside the folder through a chain of links (to "${resolved}")`;
    }
    if (problem) {
      throw new UnsafePathError(
        entry.absolute,
        `symbolic link in the folder being pushed: ${problem}; replace it with a copy of what it points to, or remove it`,
      );
    }
  }
}

/** Byte 9 of a gzip header names the OS that wrote it; zlib's build decides (3 on Unix, 10 on Windows in newer zlib). */
const GZIP_OS_BYTE = 9;
/** "Unknown": what Stowage writes there on every platform. */
const GZIP_OS_UNKNOWN = 0xff;

/**
 * Gzip bytes from Node's zlib (a header without a name, a comment or a time) made the same on every platform: the
 * OS byte set to 255 ("unknown") and the modification time (bytes 4–7) to 0, as a stream packs them.
 */
export function platformFreeGzip(gzipped: Buffer): Buffer {
  const pinned = Buffer.from(gzipped);
  pinned.fill(0, 4, 8);
  pinned[GZIP_OS_BYTE] = GZIP_OS_UNKNOWN;
  return pinned;
}

/** Rewrites byte 9 of the gzip header (the OS that wrote it) to 255, so every platform writes the same bytes. */
function fixedGzipOs(): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (offset <= GZIP_OS_BYTE && offset + chunk.length > GZIP_OS_BYTE) {
        chunk = Buffer.from(chunk);
        chunk[GZIP_OS_BYTE - offset] = GZIP_OS_UNKNOWN;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
  });
}

/**
 * Packs `dir` as tar+gzip into a temp file in `stagingDir`, entries named under `prefix/`, hashing the tar
 * and the gzip in the same pass.
 */
/**
 * What stageFolderTarGz refuses about the folder's links, checked before anything is written, so that a refused
 * push leaves no new layout or upload behind. `prefix` is the name the folder gets in the archive.
 */
export async function assertFolderPackable(dir: string, prefix: string, signal?: AbortSignal): Promise<void> {
  await assertLinksStayInside(dir, prefix, await listFolder(dir, prefix, signal));
}

/**
 * Packs `dir` into a deterministic tar.gz in `stagingDir`. `onProgress`: the bytes of the folder's files read so far
 * and their total, as they go into the archive (a large folder packs for seconds before anything is sent).
 */
export async function stageFolderTarGz(
  dir: string,
  prefix: string,
  stagingDir: string,
  signal?: AbortSignal,
  onProgress?: (doneBytes: number, totalBytes: number) => void,
): Promise<StagedTarGz> {
  const entries = await listFolder(dir, prefix, signal);
  await assertLinksStayInside(dir, prefix, entries);
  const totalBytes = entries.reduce((sum, entry) => sum + (entry.stats.isFile() ? entry.stats.size : 0), 0);
  let doneBytes = 0;
  const onRead = onProgress && ((bytes: number) => onProgress((doneBytes += bytes), totalBytes));
  const pack = tar.pack();
  const tarHash = new HashingStream();
  const gzHash = new HashingStream();
  const gzip = createGzip({
    level: 6,
    memLevel: 8,
    windowBits: 15,
    strategy: zlib.Z_DEFAULT_STRATEGY,
    chunkSize: 64 * 1024,
  });
  const writing = streamToTempFile(
    pack as unknown as Readable,
    [tarHash, gzip, fixedGzipOs(), gzHash],
    stagingDir,
    signal,
  );
  const feeding = (async () => {
    for (const entry of entries) await addEntry(pack, entry, signal, onRead);
    pack.finalize();
  })();
  feeding.catch((err: unknown) => pack.destroy(err as Error));
  const [file] = await Promise.all([writing, feeding]);
  return { file, digest: gzHash.digest!, size: gzHash.bytes, tarDigest: tarHash.digest!, tarSize: tarHash.bytes };
}
