// A move that never replaces what is at its destination. rename(2) replaces a file (and an empty folder) at the
// destination, so a check for a free name followed by a rename loses whatever appears there in between. Here the
// step that claims the name is one that fails when the name is taken: link(2) for a file, symlink(2) for a link,
// mkdir(2) for a folder (which the rename then lands on: our own empty folder, the only thing it may replace). On a
// file system without hard links (FAT, exFAT, some network shares) a file is copied instead, with COPYFILE_EXCL,
// which fails the same way on a taken name.
import { constants, promises as fs } from 'node:fs';

/** What link, symlink, mkdir and a rename onto a folder answer when the destination holds something. */
const TAKEN = new Set(['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR']);
/** What link answers on a file system that has no hard links (or none across these two names). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Moves `from` to `to` unless something is at `to`. True when moved; false when `to` is taken, and `from` is then
 * where it was. Other failures are thrown: no name would do.
 */
export async function moveWithoutReplacing(from: string, to: string): Promise<boolean> {
  const stats = await fs.lstat(from);
  try {
    if (stats.isDirectory()) {
      await fs.mkdir(to);
      // Something put into the reserved folder meanwhile makes the rename fail (ENOTEMPTY), never lost.
      await fs.rename(from, to).catch(async (err: unknown) => {
        await fs.rmdir(to).catch(() => undefined);
        throw err;
      });
      return true;
    }
    // A link is made anew (link(2) may follow it on some systems), a file gets a second name.
    if (stats.isSymbolicLink()) await fs.symlink(await fs.readlink(from), to);
    else await fs.link(from, to).catch((err: unknown) => copyInstead(err, from, to, stats));
  } catch (err) {
    if (TAKEN.has((err as NodeJS.ErrnoException).code ?? '')) return false;
    throw err;
  }
  await fs.unlink(from);
  return true;
}

/** A file copied to `to` (only to a free name) where no hard link can be made, keeping its mode and times. */
async function copyInstead(err: unknown, from: string, to: string, stats: { atime: Date; mtime: Date }): Promise<void> {
  if (!NO_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  await fs.copyFile(from, to, constants.COPYFILE_EXCL);
  await fs.utimes(to, stats.atime, stats.mtime).catch(() => undefined);
}
