// Layout folders a command made as its destination (`copy … oci:new`, `backup --output new`): when the command
// fails with the layout listing nothing, the layout it made is removed — whether it failed before writing anything
// (a typo in the source, a refused login) or stopped after a few blobs (a full disk met by the first tag's layer
// leaves the 2-byte config): a folder that looks like a result but holds none. Only blobs worth fetching again keep
// it (RESUME_WORTH_BYTES), and the user is told it was kept for the rerun; a layout listing a tag is always kept.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { INDEX_FILE, LAYOUT_FILE } from '../core/oci';

export class CreatedLayouts {
  /** Each new layout folder, with the topmost of the folders above it that did not exist either. */
  private readonly made: { folder: string; topmost: string }[] = [];

  /** Call before opening `folder` with create: remembers it when it does not exist yet. */
  async noteIfNew(folder: string): Promise<void> {
    const resolved = path.resolve(folder);
    if ((await exists(resolved)) || this.made.some((m) => m.folder === resolved)) return;
    let topmost = resolved;
    while (path.dirname(topmost) !== topmost && !(await exists(path.dirname(topmost)))) topmost = path.dirname(topmost);
    this.made.push({ folder: resolved, topmost });
  }

  /**
   * Removes the folders this run made that hold a layout listing nothing and blobs not worth keeping, and the
   * folders above them it made that are empty then (`oci:new/a/b` leaves no `new/a`); returns the layout folders
   * removed and those kept for their blobs (the rerun resumes from them), each with the bytes its blobs hold.
   */
  async removeUnused(): Promise<{ removed: LayoutBlobs[]; kept: LayoutBlobs[] }> {
    const removed: LayoutBlobs[] = [];
    const kept: LayoutBlobs[] = [];
    for (const { folder, topmost } of this.made) {
      const bytes = await blobBytesOfUnlistedLayout(folder);
      if (bytes === undefined) continue;
      if (bytes >= RESUME_WORTH_BYTES) {
        kept.push({ folder, bytes });
        continue;
      }
      await fs.rm(folder, { recursive: true, force: true });
      removed.push({ folder, bytes });
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

function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
  );
}

/**
 * The bytes of the blobs in a layout that lists nothing and holds only what a layout holds (oci-layout, index.json,
 * blobs); undefined for anything else (a tag listed, a file of someone else's, or no longer readable: left alone).
 */
async function blobBytesOfUnlistedLayout(folder: string): Promise<number | undefined> {
  try {
    const names = await fs.readdir(folder);
    if (names.some((name) => ![LAYOUT_FILE, INDEX_FILE, 'blobs'].includes(name))) return undefined;
    const index = JSON.parse(await fs.readFile(path.join(folder, INDEX_FILE), 'utf8')) as { manifests?: unknown[] };
    if (index.manifests?.length) return undefined;
    const blobs = path.join(folder, 'blobs');
    let bytes = 0;
    for (const entry of await fs.readdir(blobs, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) continue;
      if (!entry.isFile()) return undefined;
      bytes += (await fs.lstat(path.join(entry.parentPath, entry.name))).size;
    }
    return bytes;
  } catch {
    return undefined;
  }
}
