// The folder a pull writes into, held by identity from the start. A pull takes long (downloads, unpacking) and
// then renames its outputs into the target by path: a link swapped in meanwhile for the target, for a folder the
// pull made above it, or for a folder inside it would send the outputs wherever the link points. So before each
// output is placed, the target path must still lead to the very folder (device and inode) the pull resolved at the
// start, and every folder between it and the output must be a real folder, not a link; the folders an output
// needs are made one at a time under the same rule.
//
// What remains: Node has no openat/renameat, so the check and the rename are two system calls, and a folder
// swapped for a link in between (one system call wide) is still followed. Whoever can do that can write in the
// target folder already; the check keeps a swap made at any earlier time of the pull (the long part) from working.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UnsafePathError } from '../oci';

export class HeldTarget {
  /**
   * Every folder the pull made ("dev:ino"), the target's own included: a rollback removes those, never a folder
   * someone made in them meanwhile (it may be empty; it is theirs all the same).
   */
  readonly made = new Set<string>();

  private constructor(
    readonly folder: string,
    private readonly identity: { dev: number; ino: number },
  ) {}

  /**
   * Holds `folder` (made by the pull or the user's), as it resolves now: the user may name a link to the folder to
   * pull into, but a folder the pull made (`made`: the first of them) must be a folder itself.
   */
  static async hold(folder: string, made?: string): Promise<HeldTarget> {
    const resolved = path.resolve(folder);
    if (made) await assertRealFolders(path.resolve(made), resolved, resolved, true);
    const stats = await fs.stat(resolved);
    if (!stats.isDirectory()) throw new UnsafePathError(resolved, 'the target is not a folder');
    const held = new HeldTarget(resolved, { dev: stats.dev, ino: stats.ino });
    if (made) {
      let at = path.resolve(made);
      await held.remember(at);
      for (const part of path.relative(at, resolved).split(path.sep).filter(Boolean))
        await held.remember((at = path.join(at, part)));
    }
    return held;
  }

  /**
   * Checks that `entry` (a path below the target) may be placed: the target path leads to the folder held, and every
   * folder between it and `entry` is a real folder.
   */
  async assertPlaceable(entry: string): Promise<void> {
    await this.assertSameTarget();
    await assertRealFolders(this.folder, path.dirname(entry), this.folder, false);
  }

  /**
   * Makes the folders from the target down to `folder`, one at a time, each a real folder (one that is there already
   * must not be a link); the first one made, or undefined when all were there.
   */
  async makeFolders(folder: string): Promise<string | undefined> {
    await this.assertSameTarget();
    const parts = this.inside(folder);
    let first: string | undefined;
    let at = this.folder;
    for (const part of parts) {
      at = path.join(at, part);
      const made = await fs.mkdir(at).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
          return false;
        },
      );
      await assertRealFolder(at, this.folder);
      if (made) await this.remember(at);
      first ??= made ? at : undefined;
    }
    return first;
  }

  private async remember(folder: string): Promise<void> {
    const stats = await fs.lstat(folder);
    this.made.add(`${stats.dev}:${stats.ino}`);
  }

  private async assertSameTarget(): Promise<void> {
    const now = await fs.stat(this.folder).catch(() => undefined);
    if (!now?.isDirectory() || now.dev !== this.identity.dev || now.ino !== this.identity.ino)
      throw new UnsafePathError(
        this.folder,
        'the target folder was replaced (by a link or another folder) during the pull; nothing more is written through it',
      );
  }

  /** The names from the target down to `entry`; refused when `entry` is not below the target. */
  private inside(entry: string): string[] {
    const relative = path.relative(this.folder, path.resolve(entry));
    if (relative === '') return [];
    if (relative.startsWith('..') || path.isAbsolute(relative))
      throw new UnsafePathError(entry, `it is not inside the target folder ${this.folder}`);
    return relative.split(path.sep);
  }
}

/**
 * Every folder below `top` down to `bottom` (and `top` itself with `withTop`) is a folder and no link; `target` is
 * the pull's, for names in messages.
 */
async function assertRealFolders(top: string, bottom: string, target: string, withTop: boolean): Promise<void> {
  const relative = path.relative(top, bottom);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new UnsafePathError(bottom, `it is not inside ${top}`);
  let at = top;
  if (withTop) await assertRealFolder(at, target);
  for (const part of relative ? relative.split(path.sep) : []) {
    at = path.join(at, part);
    await assertRealFolder(at, target);
  }
}

async function assertRealFolder(folder: string, target: string): Promise<void> {
  const stats = await fs.lstat(folder).catch(() => undefined);
  if (stats?.isDirectory()) return;
  const name = path.relative(target, folder) || folder;
  throw new UnsafePathError(
    name,
    stats?.isSymbolicLink()
      ? `"${name}" became a symbolic link during the pull; nothing is written through it`
      : `"${name}" is no longer a folder`,
  );
}
