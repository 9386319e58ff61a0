// Files that appear whole or not at all: write beside the destination, fsync, then rename into place.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileSink } from './fileSink';
import { writeAllAt } from './writeAllAt';

const WRITE_BUFFER = 1024 * 1024;

/** A fresh, unguessable file name in `dir` (same file system as the destination, so rename is atomic). */
export function tempPathIn(dir: string, prefix = '.stowage-'): string {
  return path.join(dir, `${prefix}${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** Flushes a directory entry change (a rename) to disk; file systems that cannot do this are ignored. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some network file systems refuse fsync on directories: the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function removeQuietly(file: string): Promise<void> {
  await fs.rm(file, { force: true }).catch(() => undefined);
}

/**
 * Writes `data` to `destination` atomically (temp file in `tempDir`, fsync, rename); a large text may come in pieces
 * (Iterable), written as they are made. Returns the file's inode: a caller can tell its own file from one another
 * writer put there since.
 */
export async function writeFileAtomic(
  destination: string,
  data: Uint8Array | string | Iterable<string>,
  tempDir = path.dirname(destination),
): Promise<bigint> {
  const temp = tempPathIn(tempDir);
  let inode: bigint;
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await fs.writeFile(handle, data);
      await handle.sync();
      inode = (await handle.stat({ bigint: true })).ino;
    } finally {
      await handle.close();
    }
    await fs.rename(temp, destination);
  } catch (err) {
    await removeQuietly(temp);
    throw aboutDestination(err, temp, destination);
  }
  await syncDirectory(path.dirname(destination));
  return inode;
}

/**
 * An error about the temp file names the file being written instead (the temp name means nothing to anyone), and
 * so does a write's, which names no file ("ENOSPC: no space left on device, write": a full disk met by index.json
 * was told without saying which file or layout).
 */
function aboutDestination(err: unknown, temp: string, destination: string): unknown {
  return (err as NodeJS.ErrnoException)?.path === temp ? withPath(err, destination) : pathlessAbout(err, destination);
}

/**
 * A system error that names no file (a write's: "ENOSPC: no space left on device, write") made about `place`, the
 * file or folder being written as the user knows it; any other error as it is.
 */
export function pathlessAbout(err: unknown, place: string): unknown {
  const errno = err as NodeJS.ErrnoException;
  const pathless = typeof errno?.code === 'string' && typeof errno.syscall === 'string' && errno.path === undefined;
  return pathless ? withPath(err, place) : err;
}

/** The same system error about `place` (its message naming it), the original kept as its cause. */
function withPath(err: unknown, place: string): NodeJS.ErrnoException {
  const errno = err as NodeJS.ErrnoException;
  const message =
    typeof errno.path === 'string' ? errno.message.replace(errno.path, place) : `${errno.message}, '${place}'`;
  const moved = new Error(message, { cause: err }) as NodeJS.ErrnoException;
  return Object.assign(moved, { code: errno.code, errno: errno.errno, syscall: errno.syscall, path: place });
}

/**
 * Streams `source` through `transforms` into a temp file in `tempDir` and fsyncs it. Returns the temp path;
 * the caller renames it into place once it has checked what the transforms computed, or removes it.
 * On failure nothing is left behind.
 */
export async function streamToTempFile(
  source: Readable,
  transforms: Transform[],
  tempDir: string,
  signal?: AbortSignal,
): Promise<string> {
  const temp = tempPathIn(tempDir);
  const handle = await fs.open(temp, 'wx').catch((err: unknown) => {
    source.destroy();
    throw err;
  });
  try {
    try {
      // The sink fsyncs when it ends, so the bytes are on disk before the caller renames the file into place.
      await pipeline([source, ...transforms, fileSink(handle, WRITE_BUFFER)], { signal });
    } finally {
      await handle.close();
    }
  } catch (err) {
    source.destroy();
    await removeQuietly(temp);
    throw pathlessAbout(err, tempDir);
  }
  return temp;
}

/**
 * Writes chunks (each finished before the next is asked for, as fileChunks.ts needs) into a temp file in
 * `tempDir` and fsyncs it; like streamToTempFile, it returns the temp path and leaves nothing on failure.
 */
export async function chunksToTempFile(chunks: AsyncIterable<Uint8Array>, tempDir: string): Promise<string> {
  const temp = tempPathIn(tempDir);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      let position = 0;
      for await (const chunk of chunks) {
        await writeAllAt(handle, [chunk], position);
        position += chunk.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await removeQuietly(temp);
    throw pathlessAbout(err, tempDir);
  }
  return temp;
}
