// Layout folders a command made as its destination (`copy … oci:new`, `backup --output new`): when the command
// fails before writing anything into one, the empty layout it made is removed, so a typo in the source or a refused
// login does not leave a folder behind that looks like a result. Anything written in it (a blob, a tag) keeps it:
// a rerun resumes from there.
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
   * Removes the folders this run made that still hold an empty layout, and the folders above them it made that are
   * empty then (`oci:new/a/b` leaves no `new/a`); returns the layout folders removed.
   */
  async removeUnused(): Promise<string[]> {
    const removed: string[] = [];
    for (const { folder, topmost } of this.made) {
      if (!(await isEmptyLayout(folder))) continue;
      await fs.rm(folder, { recursive: true, force: true });
      removed.push(folder);
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
    return removed;
  }
}

function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
  );
}

/** Only the files a new layout starts with: oci-layout, an index.json listing nothing, and no blob. */
async function isEmptyLayout(folder: string): Promise<boolean> {
  try {
    const names = await fs.readdir(folder);
    if (names.some((name) => ![LAYOUT_FILE, INDEX_FILE, 'blobs'].includes(name))) return false;
    const index = JSON.parse(await fs.readFile(path.join(folder, INDEX_FILE), 'utf8')) as { manifests?: unknown[] };
    if (index.manifests?.length) return false;
    const blobs = await fs.readdir(path.join(folder, 'blobs'), { recursive: true, withFileTypes: true });
    return blobs.every((entry) => entry.isDirectory());
  } catch {
    return false; // not what this run made, or no longer readable: leave it
  }
}
