// Layout folders a command made as its destination (`copy … oci:new`, `backup --output new`): when the command
// fails with the layout listing nothing, the layout it made is removed — whether it failed before writing anything
// (a typo in the source, a refused login) or stopped after a few blobs (a full disk met by the first tag's layer
// leaves the 2-byte config): a folder that looks like a result but holds none. Only blobs worth fetching again keep
// it (RESUME_WORTH_BYTES), and the user is told it was kept for the rerun; a layout listing a tag is always kept.
// Only this run's own blobs may go with it: another process copying into the same new folder meanwhile has blobs
// there that its index.json does not list yet (its tags wait in a batch), and the folder is then left alone. The look
// and the removal hold the layout's index.json lock, so that no writer lists a tag in between; the folder is moved
// aside in one step and removed there, so that a writer's later write meets no layout instead of a half-removed one.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { INDEX_LOCK_FILE, lockLayoutIndex } from '../core/layout';
import { INDEX_FILE, LAYOUT_FILE } from '../core/oci';

/** A store opened on a layout this run made, saying which blob files it wrote (LayoutTarget). */
export interface BlobFileWriter {
  /** Undefined when it wrote too many to say. */
  blobFilesWritten(): ReadonlySet<string> | undefined;
}

export class CreatedLayouts {
  /**
   * Each new layout folder, with the topmost of the folders above it that did not exist either, and the stores this
   * run opened on it.
   */
  private readonly made: { folder: string; topmost: string; writers: BlobFileWriter[] }[] = [];

  /** Call before opening `folder` with create: remembers it when it does not exist yet. */
  async noteIfNew(folder: string): Promise<void> {
    const resolved = path.resolve(folder);
    if ((await exists(resolved)) || this.made.some((m) => m.folder === resolved)) return;
    let topmost = resolved;
    while (path.dirname(topmost) !== topmost && !(await exists(path.dirname(topmost)))) topmost = path.dirname(topmost);
    this.made.push({ folder: resolved, topmost, writers: [] });
  }

  /** Call after opening `folder` with create: a store whose blobs may go with it, if this run made it. */
  noteWriter(folder: string, store: object): void {
    const made = this.made.find((m) => m.folder === path.resolve(folder));
    if (made && 'blobFilesWritten' in store) made.writers.push(store as BlobFileWriter);
  }

  /**
   * Removes the folders this run made that hold a layout listing nothing and blobs not worth keeping, and the
   * folders above them it made that are empty then (`oci:new/a/b` leaves no `new/a`); returns the layout folders
   * removed and those kept for their blobs (the rerun resumes from them), each with the bytes its blobs hold.
   */
  async removeUnused(): Promise<{ removed: LayoutBlobs[]; kept: LayoutBlobs[] }> {
    const removed: LayoutBlobs[] = [];
    const kept: LayoutBlobs[] = [];
    for (const { folder, topmost, writers } of this.made) {
      const bytes = await moveAsideIfUnused(folder, ownBlobFiles(writers));
      if (bytes === undefined) continue;
      if (typeof bytes === 'number') {
        kept.push({ folder, bytes });
        continue;
      }
      await fs.rm(bytes.aside, { recursive: true, force: true });
      removed.push({ folder, bytes: bytes.bytes });
      for (let above = folder; above !== topmost;) {
        above = path.dirname(above);
        // rmdir removes only an empty folder: one that got anything else meanwhile stays, and so do those above.
        if (
          !(await fs.rmdir(above).then(
            () => true,
            () => false,
          ))
        )
          break;
      }
    }
    return { removed, kept };
  }
}

/** A layout folder this run made, and the bytes of the blobs in it. */
export interface LayoutBlobs {
  folder: string;
  bytes: number;
}

/**
 * Blobs a rerun would rather find than fetch again: under this, a failed run's new layout listing nothing is removed
 * (a second's fetch at most), at or over it kept and said.
 */
export const RESUME_WORTH_BYTES = 1024 * 1024;

/** How long a failed run waits for another writer's index.json lock before leaving the layout alone. */
const REMOVAL_LOCK_WAIT_MS = 10_000;

/**
 * Under the layout's index.json lock, so that no other writer lists a tag between the look and the move: the bytes of
 * the layout's blobs when it is worth keeping for them, or the name it was moved aside to (atomically: a writer's
 * next write meets no layout and fails saying so, LayoutTarget.locked) when it may go; undefined when it must stay.
 */
async function moveAsideIfUnused(
  folder: string,
  own: ReadonlySet<string> | undefined,
): Promise<number | { aside: string; bytes: number } | undefined> {
  const release = await lockLayoutIndex(folder, { timeoutMs: REMOVAL_LOCK_WAIT_MS }).catch(() => undefined);
  if (!release) return undefined;
  try {
    const bytes = await blobBytesOfUnlistedLayout(folder, own);
    if (bytes === undefined || bytes >= RESUME_WORTH_BYTES) return bytes;
    const aside = `${folder}.removing-${randomBytes(4).toString('hex')}`;
    await fs.rename(folder, aside);
    return { aside, bytes };
  } catch {
    return undefined;
  } finally {
    // The lock file moved aside with the folder: released there, removed with it.
    await release();
  }
}

function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
  );
}

/** The blob files the stores wrote, all told; undefined when one cannot say. */
function ownBlobFiles(writers: readonly BlobFileWriter[]): Set<string> | undefined {
  const own = new Set<string>();
  for (const writer of writers) {
    const written = writer.blobFilesWritten();
    if (!written) return undefined;
    for (const file of written) own.add(file);
  }
  return own;
}

/**
 * The bytes of the blobs in a layout that lists nothing and holds only what a layout holds (oci-layout, index.json,
 * blobs), each blob one of `own`; undefined for anything else (a tag listed, a file of someone else's — another
 * writer's blob or temp file — or no longer readable: left alone).
 */
async function blobBytesOfUnlistedLayout(
  folder: string,
  own: ReadonlySet<string> | undefined,
): Promise<number | undefined> {
  try {
    const names = await fs.readdir(folder);
    if (names.some((name) => ![LAYOUT_FILE, INDEX_FILE, INDEX_LOCK_FILE, 'blobs'].includes(name))) return undefined;
    const index = JSON.parse(await fs.readFile(path.join(folder, INDEX_FILE), 'utf8')) as { manifests?: unknown[] };
    if (index.manifests?.length) return undefined;
    const blobs = path.join(folder, 'blobs');
    let bytes = 0;
    for (const entry of await fs.readdir(blobs, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (!entry.isFile() || !own?.has(file)) return undefined;
      bytes += (await fs.lstat(file)).size;
    }
    return bytes;
  } catch {
    return undefined;
  }
}
