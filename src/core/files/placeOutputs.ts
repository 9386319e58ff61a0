// The last step of a pull: staged outputs renamed into the target, each move recorded so that a failure puts
// everything back; and the count of what was written and what was already there and kept, file by file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OutputExistsError } from '../oci';
import { makeFolders } from '../content';
import { sameBytes } from './holdsTree';
import type { PlannedOutput } from './planPull';

export interface Move {
  from: string;
  to: string;
  /** What was at `from` before the pull (the user's): moved into the staging folder, which is removed at the end. */
  aside?: boolean;
  /** The entry the pull put at `to` (device and inode): anything else there since is someone's, not the pull's. */
  placed?: { dev: number; ino: number };
}

/** One of the user's own files or folders a rollback could not put back, and where it is instead. */
export interface Unrestored {
  original: string;
  keptAt: string;
}

/** Bytes of file content a pull wrote, and bytes of files it found already there with the same bytes and kept. */
export interface Tally {
  written: number;
  kept: number;
}

/** Where the moves of one pull are recorded, for rollBack. */
export interface Placing {
  /** A folder in the staging folder for what an overwrite moves out of the way. */
  aside: string;
  overwrite: boolean;
  /**
   * Names in the target (relative, "/"-separated) that a Flux artifact's entries may replace: the ones the user
   * agreed to. Anything else already there that differs is refused, as without them.
   */
  replaceInTarget?: ReadonlySet<string>;
  done: Move[];
  createdDirs: string[];
}

/** Moves the staged `outputs` (each at `staged(output)`) into place, counting into `tally`. */
export async function moveIntoPlace(
  outputs: readonly PlannedOutput[],
  staged: (output: PlannedOutput) => string,
  placing: Placing,
  tally: Tally,
): Promise<void> {
  for (const output of outputs) {
    const first = await makeFolders(path.dirname(output.path));
    if (first) placing.createdDirs.push(first);
    const from = staged(output);
    if (!output.intoTarget) {
      await place(from, output.path, placing, tally);
      continue;
    }
    // A Flux artifact's entries join the target's, each in turn: the target itself is never replaced (it may be a
    // link to the folder the user pulls into). Without overwrite, a file already there is kept, never replaced.
    for (const name of await fs.readdir(from)) {
      const [entry, to] = [path.join(from, name), path.join(output.path, name)];
      if (placing.overwrite) await place(entry, to, placing, tally);
      else await merge(entry, to, output.path, placing, tally);
    }
  }
}

/**
 * Merges the staged tree `from` into the folder `to` without replacing anything unasked: a file the user already has
 * with the same bytes stays as it is (its mode, its inode, an editor holding it open), a name the user agreed to
 * replace (`placing.replaceInTarget`) is replaced, and anything else already there is refused. differingNames
 * refused or asked about such names before; this holds where it cannot see them: a case-insensitive file system
 * ("Readme.md" lands on "README.md", a name nobody agreed to), or a file made there since.
 */
async function merge(from: string, to: string, target: string, placing: Placing, tally: Tally): Promise<void> {
  const existing = await fs.lstat(to).catch(() => undefined);
  if (!existing) {
    const bytes = await treeBytes(from);
    await fs.rename(from, to);
    placing.done.push({ from, to, placed: await identity(to) });
    tally.written += bytes;
    return;
  }
  const staged = await fs.lstat(from);
  if (existing.isDirectory() && staged.isDirectory()) {
    for (const name of await fs.readdir(from))
      await merge(path.join(from, name), path.join(to, name), target, placing, tally);
    return;
  }
  if (existing.isFile() && staged.isFile() && (await sameBytes(from, to))) {
    tally.kept += staged.size;
    return;
  }
  const name = path.relative(target, to).split(path.sep).join('/');
  if (placing.replaceInTarget?.has(name)) {
    await place(from, to, { ...placing, overwrite: true }, tally);
    return;
  }
  throw new OutputExistsError(`"${name}" already exists in ${target} with other contents (nothing written)`);
}

/**
 * Renames `from` to `to`, recording each move for a rollback. With overwrite, what is at `to` is moved aside
 * first, unless it is a file with the very bytes staged (kept, as a pull keeps an unchanged file); a folder at
 * `to` where `from` is a folder too is merged into, entry by entry, so that files the artifact does not hold stay
 * (a link is never followed: it is replaced like a file).
 */
async function place(from: string, to: string, placing: Placing, tally: Tally): Promise<void> {
  const existing = placing.overwrite ? await fs.lstat(to).catch(() => undefined) : undefined;
  const staged = existing ? await fs.lstat(from) : undefined;
  if (existing?.isDirectory() && staged!.isDirectory()) {
    for (const name of await fs.readdir(from)) await place(path.join(from, name), path.join(to, name), placing, tally);
    return;
  }
  if (existing?.isFile() && staged!.isFile() && (await sameBytes(from, to))) {
    tally.kept += staged!.size;
    return;
  }
  const bytes = await treeBytes(from);
  if (existing) {
    const moved = { from: to, to: path.join(placing.aside, String(placing.done.length)), aside: true };
    await fs.rename(moved.from, moved.to);
    placing.done.push(moved);
  }
  await fs.rename(from, to);
  placing.done.push({ from, to, placed: await identity(to) });
  tally.written += bytes;
}

async function identity(entry: string): Promise<{ dev: number; ino: number } | undefined> {
  const stats = await fs.lstat(entry).catch(() => undefined);
  return stats && { dev: stats.dev, ino: stats.ino };
}

/** Bytes of file content in `entry`: a file's size, a folder's files summed (links count nothing). */
async function treeBytes(entry: string): Promise<number> {
  const stats = await fs.lstat(entry);
  if (stats.isFile()) return stats.size;
  if (!stats.isDirectory()) return 0;
  let sum = 0;
  for (const name of await fs.readdir(entry)) sum += await treeBytes(path.join(entry, name));
  return sum;
}

/**
 * Puts back what `done` moved, newest first, and removes the folders the pull made. What took the place of an
 * output since the pull put it there is left as it is. A user's file that cannot go back (something took its place
 * meanwhile) must not go with the staging folder nor replace that: it is moved beside its old place under a name
 * of its own, or, failing that too, stays where it is; either way it is returned, to be named.
 */
export async function rollBack(done: Move[], createdDirs: string[]): Promise<Unrestored[]> {
  const unrestored: Unrestored[] = [];
  for (const move of done.reverse()) {
    if (!move.aside) {
      // Replaced since the pull put it there (an editor saving the file anew): that is someone's, and stays.
      const now = move.placed && (await identity(move.to));
      if (move.placed && (now?.dev !== move.placed.dev || now?.ino !== move.placed.ino)) continue;
      await fs.rename(move.to, move.from).catch(() => undefined);
      continue;
    }
    // A rename would replace a file that took the user's place: it goes back only to a free place.
    const taken = await fs.lstat(move.from).then(
      () => true,
      () => false,
    );
    const back =
      !taken &&
      (await fs.rename(move.to, move.from).then(
        () => true,
        () => false,
      ));
    if (!back) unrestored.push({ original: move.from, keptAt: await keepBeside(move) });
  }
  for (const dir of createdDirs.reverse()) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  return unrestored;
}

/** Moves the user's entry at `move.to` to an unused "<name>.stowage-kept[-N]" beside `move.from`; where it ends up. */
async function keepBeside(move: Move): Promise<string> {
  for (let n = 0; n < 100; n++) {
    const beside = `${move.from}.stowage-kept${n ? `-${n}` : ''}`;
    if (
      await fs.lstat(beside).then(
        () => true,
        () => false,
      )
    )
      continue;
    if (
      await fs.rename(move.to, beside).then(
        () => true,
        () => false,
      )
    )
      return beside;
    break;
  }
  return move.to;
}
