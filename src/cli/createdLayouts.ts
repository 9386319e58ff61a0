// Layout folders a command made as its destination (`copy … oci:new`, `backup --output new`): when the command
// fails before writing anything into one, the empty layout it made is removed, so a typo in the source or a refused
// login does not leave a folder behind that looks like a result. Anything written in it (a blob, a tag) keeps it:
// a rerun resumes from there.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { INDEX_FILE, LAYOUT_FILE } from '../core/oci';

export class CreatedLayouts {
  private readonly folders: string[] = [];

  /** Call before opening `folder` with create: remembers it when it does not exist yet. */
  async noteIfNew(folder: string): Promise<void> {
    const resolved = path.resolve(folder);
    const exists = await fs.lstat(resolved).then(
      () => true,
      (err: NodeJS.ErrnoException) => err.code !== 'ENOENT',
    );
    if (!exists && !this.folders.includes(resolved)) this.folders.push(resolved);
  }

  /** Removes the folders this run made that still hold an empty layout; returns those removed. */
  async removeUnused(): Promise<string[]> {
    const removed: string[] = [];
    for (const folder of this.folders) {
      if (!(await isEmptyLayout(folder))) continue;
      await fs.rm(folder, { recursive: true, force: true });
      removed.push(folder);
    }
    return removed;
  }
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
