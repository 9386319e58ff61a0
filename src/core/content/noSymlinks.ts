// The one rule for touching a layout's own entries (blobs, blobs/<alg>, blob files, index.json, oci-layout,
// temp files): never through a symbolic link. A layout comes from anywhere (a cloned repository, an archive),
// and a link there would make Stowage write blobs into, hash, or read without bound a file outside the layout
// (a link to /dev/zero). The layout folder itself may be a link: the user chose that path.
//
// Folders on the way are checked with lstat; the file itself is opened with O_NOFOLLOW (where the OS has it)
// and checked with fstat, so the file read is the file checked: a link swapped in after the check fails the
// open (ELOOP), and when the caller took an lstat first (to learn a size, to decide), the descriptor must be that
// very file (same device and inode), so a different file renamed into place after the check is refused too.
// O_NONBLOCK keeps a FIFO planted as index.json from blocking the open; a non-regular file is then refused.
// What Node cannot guard: a *folder* on the way (blobs, blobs/<alg>) swapped for a link between its lstat and
// the open. That needs openat() relative to a descriptor of the checked folder, which Node does not have; the
// window is one system call wide, and whoever can swap folders inside the layout can also write its files.
import { constants, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { NotFoundError, OciError, SizeExceededError } from '../oci';

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

export class LayoutSymlinkError extends OciError {
  constructor(
    readonly root: string,
    readonly entry: string,
  ) {
    super(
      'LAYOUT',
      `${path.join(root, entry)} is a symbolic link: Stowage does not follow links inside an OCI image layout (oci:${root}); replace the link with the ${entry.includes('/') || entry === 'blobs' ? 'folder or file' : 'file'} it points to`,
    );
  }
}

/** What identifies a file that was checked (an lstat's device and inode): the file opened must be the same one. */
export type FileIdentity = Pick<Stats, 'dev' | 'ino'>;

/**
 * Opens `file` for reading without following a link in its last component, and only as a regular file (and,
 * with `checked`, only as the file that check saw). Throws NotFoundError when missing, an OCI LAYOUT error
 * naming the file for a link, a non-regular file or a file replaced since the check.
 */
export async function openNoFollow(
  file: string,
  what: string,
  checked?: FileIdentity,
): Promise<{ handle: fs.FileHandle; stat: Stats }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(what, { cause: err });
    if (code === 'ELOOP' || code === 'EMLINK') throw new SymlinkRefusedError(file, what, { cause: err });
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new OciError('LAYOUT', `${what}: ${file} is not a regular file`);
    if (checked && (stat.dev !== checked.dev || stat.ino !== checked.ino))
      throw new OciError(
        'LAYOUT',
        `${what}: ${file} was replaced by another file between its check and its opening; nothing was read from it (something else is writing there: try again when it is done)`,
      );
    return { handle, stat };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** A file Stowage opens only as the regular file it checked turned out to be a symbolic link. */
export class SymlinkRefusedError extends OciError {
  constructor(
    readonly file: string,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(
      'LAYOUT',
      `${what}: ${file} is a symbolic link (it was checked as a regular file): Stowage does not read it through the link`,
      options,
    );
  }
}

/** The first entry on the way from `root` down to `file` (relative, "/"-separated) that is a symbolic link. */
export async function symlinkOnTheWay(root: string, file: string): Promise<string | undefined> {
  return (await walkNoSymlink(root, file)).link;
}

/** The first link on the way (as symlinkOnTheWay), and the lstat of `file` itself taken on the way. */
async function walkNoSymlink(root: string, file: string): Promise<{ link?: string; stat?: Stats }> {
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new OciError('LAYOUT', `${file} is not inside the layout ${root}`);
  }
  const parts = relative.split(path.sep);
  // Every level at once (one wait instead of one per level: a copy of many tags makes tens of thousands of these).
  const stats = await Promise.all(
    parts.map((_, i) => fs.lstat(path.join(root, ...parts.slice(0, i + 1))).catch(() => undefined)),
  );
  for (let i = 0; i < stats.length; i++) {
    const stat = stats[i];
    if (!stat) return {}; // nothing below a missing entry exists either
    if (stat.isSymbolicLink()) return { link: parts.slice(0, i + 1).join('/') };
  }
  return { stat: stats.at(-1) };
}

/** Throws LayoutSymlinkError when any entry from `root` down to `file` is a symbolic link. */
export async function assertNoSymlink(root: string, file: string): Promise<void> {
  const link = await symlinkOnTheWay(root, file);
  if (link !== undefined) throw new LayoutSymlinkError(root, link);
}

/** lstat of a layout entry reached without links: undefined when missing, throws on a link on the way. */
export async function statLayoutEntry(root: string, file: string): Promise<Stats | undefined> {
  // The walk's own lstat of the file is the answer: a second one, right after, told nothing more (a copy of many
  // tags makes tens of thousands of these).
  const { link, stat } = await walkNoSymlink(root, file);
  if (link !== undefined) throw new LayoutSymlinkError(root, link);
  return stat;
}

/**
 * Opens a regular file of the layout for reading, never through a link. Throws NotFoundError when it is
 * missing, LayoutSymlinkError for a link, OCI LAYOUT for anything but a regular file or, with `checked` (the
 * caller's lstat of it), for a file that is no longer the one checked.
 */
export async function openLayoutFile(
  root: string,
  file: string,
  what: string,
  checked?: FileIdentity,
): Promise<{ handle: fs.FileHandle; size: number }> {
  await assertNoSymlink(root, file);
  try {
    const { handle, stat } = await openNoFollow(file, what, checked);
    return { handle, size: stat.size };
  } catch (err) {
    // The file became a link after the check above.
    if (err instanceof SymlinkRefusedError)
      throw new LayoutSymlinkError(root, path.relative(root, file).split(path.sep).join('/'));
    throw err;
  }
}

/** Reads a whole layout file of at most `maxBytes` (JSON documents: index.json, oci-layout, manifests). */
export async function readLayoutFile(
  root: string,
  file: string,
  maxBytes: number,
  what: string,
  signal?: AbortSignal,
  checked?: FileIdentity,
): Promise<Buffer> {
  const { handle, size } = await openLayoutFile(root, file, what, checked);
  try {
    if (size > maxBytes) throw new SizeExceededError(what, maxBytes);
    const bytes = await handle.readFile({ signal });
    // The file may have grown since fstat.
    if (bytes.length > maxBytes) throw new SizeExceededError(what, maxBytes);
    return bytes;
  } finally {
    await handle.close();
  }
}
