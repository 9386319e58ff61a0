// Creates a folder and the parents it lacks, as `mkdir -p` does. Node's own `mkdir({ recursive: true })` never
// returns where a file system answers ENOENT for a folder whose parent exists (/proc, /sys, some FUSE mounts): it
// retries the parent, finds it there, and tries the child again, forever. Every output folder goes through here so
// such a path fails at once, naming the folder.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The folder cannot be made although its parent is there: the file system does not take new folders there. */
export class FolderNotCreatableError extends Error {
  constructor(readonly folder: string) {
    super(`cannot create the folder ${folder}: ${path.dirname(folder)} does not accept new folders`);
    this.name = 'FolderNotCreatableError';
  }
}

/**
 * Makes `dir` and any missing parents; returns the first folder it created (undefined when `dir` was there), like
 * `fs.mkdir(dir, { recursive: true })`. An existing file in the way fails with Node's EEXIST/ENOTDIR.
 */
export async function makeFolders(dir: string, mode?: number): Promise<string | undefined> {
  const folder = path.resolve(dir);
  const made = await makeOne(folder, mode);
  if (made !== 'missing-parent') return made === 'made' ? folder : undefined;
  const parent = path.dirname(folder);
  // The root answered ENOENT: nothing above it to make.
  if (parent === folder) throw new FolderNotCreatableError(folder);
  const first = await makeFolders(parent, mode);
  const again = await makeOne(folder, mode);
  // The parent is there now, yet the folder is still "missing": retrying is the loop Node's own mkdir falls into.
  if (again === 'missing-parent') throw new FolderNotCreatableError(folder);
  return first ?? (again === 'made' ? folder : undefined);
}

async function makeOne(folder: string, mode: number | undefined): Promise<'made' | 'there' | 'missing-parent'> {
  try {
    await fs.mkdir(folder, { mode });
    return 'made';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing-parent';
    // Made meanwhile by another process, or there already: fine when it is a folder (a link to one too).
    if (code === 'EEXIST' && (await fs.stat(folder).catch(() => undefined))?.isDirectory()) return 'there';
    throw err;
  }
}
