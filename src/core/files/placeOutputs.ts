// The last step of a pull: staged outputs renamed into the target, each move recorded so that a failure puts
// everything back; and the count of what was written and what was already there and kept, file by file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OutputExistsError } from '../oci';
import type { HeldTarget } from './heldTarget';
import { sameBytes } from './holdsTree';
import { moveWithoutReplacing } from './moveWithoutReplacing';
import type { PlannedOutput } from './planPull';

export interface Move {
  from: string;
  to: string;
  /** What was at `from` before the pull (the user's): moved into the staging folder, which is removed at the end. */
  aside?: boolean;
  /** The entry the pull put at `to` (device and inode): anything else there since is someone's, not the pull's. */
  placed?: { dev: number; ino: number };
  /** For a folder the pull put at `to`: every entry in it ("dev:ino"), to tell what was added into it since. */
  placedTree?: ReadonlySet<string>;
}

/**
 * One of the user's own files or folders a rollback could not put back, and where it is instead; or (`addedDuring`)
 * one the pull did not write that was put into a folder the pull made, left where it is with the folders above it.
 */
export interface Unrestored {
  original: string;
  keptAt: string;
  addedDuring?: true;
}

/** Bytes of file content a pull wrote, and bytes of files it found already there with the same bytes and kept. */
export interface Tally {
  written: number;
  kept: number;
}

/** Where the moves of one pull are recorded, for rollBack. */
export interface Placing {
  /** The target folder as the pull resolved it: every output goes in through it, and only while it is that folder. */
  held: HeldTarget;
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
    // A Flux tree goes into the target itself, which is there; other outputs may need folders inside it.
    const first = output.intoTarget ? undefined : await placing.held.makeFolders(path.dirname(output.path));
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
    const tree = await treeOf(from);
    await claim(from, to, placing);
    placing.done.push({ from, to, placed: await identity(to), placedTree: tree.entries });
    tally.written += tree.bytes;
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
  await placing.held.assertPlaceable(to);
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
  const tree = await treeOf(from);
  if (existing) {
    const moved = { from: to, to: path.join(placing.aside, String(placing.done.length)), aside: true };
    // Checked again after the comparison (a long read for a big file): a link swapped in meanwhile would have the
    // rename take a file from outside the target, and the rollback put it back only inside it.
    await placing.held.assertPlaceable(to);
    await fs.rename(moved.from, moved.to);
    placing.done.push(moved);
  }
  await claim(from, to, placing);
  placing.done.push({ from, to, placed: await identity(to), placedTree: tree.entries });
  tally.written += tree.bytes;
}

/**
 * Moves `from` to `to`, which must be free: a check for a free name followed by a rename would replace what is
 * made there in between, and that is someone's (it stays; the pull fails and rolls back). The folders on the way
 * are checked again first (HeldTarget).
 */
async function claim(from: string, to: string, placing: Placing): Promise<void> {
  await placing.held.assertPlaceable(to);
  if (await moveWithoutReplacing(from, to)) return;
  const name = path.relative(placing.held.folder, to).split(path.sep).join('/');
  throw new OutputExistsError(
    `"${name}" was created in ${placing.held.folder} during the pull; it stays as it is (nothing written)`,
  );
}

async function identity(entry: string): Promise<{ dev: number; ino: number } | undefined> {
  const stats = await fs.lstat(entry).catch(() => undefined);
  return stats && { dev: stats.dev, ino: stats.ino };
}

const key = (stats: { dev: number; ino: number }) => `${stats.dev}:${stats.ino}`;

/**
 * Bytes of file content in `entry` (a file's size, a folder's files summed; links count nothing), and for a folder
 * the identity of everything in it.
 */
async function treeOf(entry: string): Promise<{ bytes: number; entries?: Set<string> }> {
  const stats = await fs.lstat(entry);
  if (!stats.isDirectory()) return { bytes: stats.isFile() ? stats.size : 0 };
  const entries = new Set<string>();
  const walk = async (folder: string): Promise<number> => {
    let sum = 0;
    for (const name of await fs.readdir(folder)) {
      const inner = await fs.lstat(path.join(folder, name));
      entries.add(key(inner));
      if (inner.isFile()) sum += inner.size;
      else if (inner.isDirectory()) sum += await walk(path.join(folder, name));
    }
    return sum;
  };
  return { bytes: await walk(entry), entries };
}

/**
 * Puts back what `done` moved, newest first, and removes the folders the pull made. What took the place of an
 * output since the pull put it there is left as it is, and so is whatever was put into a folder the pull made (with
 * the folders above it). A user's file that cannot go back (something took its place meanwhile) must not go with
 * the staging folder nor replace that: it is moved beside its old place under a name of its own, or, failing that
 * too, stays where it is. Each of these is returned, to be named. `held`: the pull's target, through which alone a
 * user's file goes back (a folder on the way swapped for a link would send it out of the target), and whose record
 * of the folders the pull made tells them from folders someone made in them.
 */
export async function rollBack(done: Move[], createdDirs: string[], held?: HeldTarget): Promise<Unrestored[]> {
  const unrestored: Unrestored[] = [];
  const added = new Set<string>();
  for (const move of done.reverse()) {
    if (!move.aside) {
      // Replaced since the pull put it there (an editor saving the file anew): that is someone's, and stays.
      const now = move.placed && (await identity(move.to));
      if (move.placed && (now?.dev !== move.placed.dev || now?.ino !== move.placed.ino)) continue;
      if (move.placedTree) await takeBackFolder(move.to, move.placedTree, added);
      else await fs.rename(move.to, move.from).catch(() => undefined);
      continue;
    }
    // Back only through the target as it was, else it stays where it is (the staging folder is then left).
    if (
      held &&
      !(await held.assertPlaceable(move.from).then(
        () => true,
        () => false,
      ))
    ) {
      unrestored.push({ original: move.from, keptAt: move.to });
      continue;
    }
    // Back only to a free place: what took the user's place meanwhile is someone's too.
    const back = await moveWithoutReplacing(move.to, move.from).catch(() => false);
    if (!back) unrestored.push({ original: move.from, keptAt: await keepBeside(move) });
  }
  for (const dir of createdDirs.reverse()) await removeFoldersOnly(dir, added, held?.made);
  return [...unrestored, ...addedDuring(added)];
}

/**
 * Removes a folder the pull placed: its own entries (known by identity) go, anything added into it since stays,
 * named in `added`, with the folders that hold it.
 */
async function takeBackFolder(folder: string, placed: ReadonlySet<string>, added: Set<string>): Promise<void> {
  for (const name of await fs.readdir(folder).catch(() => [])) {
    const entry = path.join(folder, name);
    const stats = await fs.lstat(entry).catch(() => undefined);
    if (!stats) continue;
    if (!placed.has(key(stats))) await nameFiles(entry, added);
    else if (stats.isDirectory()) await takeBackFolder(entry, placed, added);
    else await fs.unlink(entry).catch(() => undefined);
  }
  await fs.rmdir(folder).catch(() => undefined);
}

/**
 * Removes a folder the pull made once its outputs are gone: folders that are empty go, anything else in them was
 * put there by someone else during the pull and stays (named in `added`). With `made` (the identities of the folders
 * the pull made), a folder that is none of them is someone's too, empty or not: it stays (named when empty).
 */
export async function removeFoldersOnly(folder: string, added: Set<string>, made?: ReadonlySet<string>): Promise<void> {
  const stats = await fs.lstat(folder).catch(() => undefined);
  if (!stats?.isDirectory()) return;
  const names = await fs.readdir(folder).catch(() => []);
  for (const name of names) {
    const entry = path.join(folder, name);
    if ((await fs.lstat(entry).catch(() => undefined))?.isDirectory()) await removeFoldersOnly(entry, added, made);
    else added.add(entry);
  }
  if (!made || made.has(key(stats))) await fs.rmdir(folder).catch(() => undefined);
  else if (!names.length) added.add(folder);
}

/** Adds the files (anything but a folder) in `entry` to `added`, touching nothing. */
async function nameFiles(entry: string, added: Set<string>): Promise<void> {
  if (!(await fs.lstat(entry).catch(() => undefined))?.isDirectory()) {
    added.add(entry);
    return;
  }
  for (const name of await fs.readdir(entry).catch(() => [])) await nameFiles(path.join(entry, name), added);
}

/** The files in `added` as entries of a rollback's answer. */
export function addedDuring(added: ReadonlySet<string>): Unrestored[] {
  return [...added].map((file) => ({ original: file, keptAt: file, addedDuring: true }));
}

/** Moves the user's entry at `move.to` to an unused "<name>.stowage-kept[-N]" beside `move.from`; where it ends up. */
async function keepBeside(move: Move): Promise<string> {
  for (let n = 0; n < 100; n++) {
    const beside = `${move.from}.stowage-kept${n ? `-${n}` : ''}`;
    const kept = await moveWithoutReplacing(move.to, beside).catch(() => undefined);
    if (kept) return beside;
    if (kept === undefined) break;
  }
  return move.to;
}
