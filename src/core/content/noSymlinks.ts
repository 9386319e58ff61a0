// The one rule for touching a layout's own entries (blobs, blobs/<alg>, blob files, index.json, oci-layout,
// temp files): never through a symbolic link. A layout comes from anywhere (a cloned repository, an archive),
// and a link there would make Stowage write blobs into, hash, or read without bound a file outside the layout
// (a link to /dev/zero). The layout folder itself may be a link: the user chose that path.
//
// Folders on the way are checked with lstat; the file itself is opened with O_NOFOLLOW (where the OS has it)
// and checked with fstat, so the file read is the file checked. O_NONBLOCK keeps a FIFO planted as
// index.json from blocking the open; a non-regular file is then refused.
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

/** The first entry on the way from `root` down to `file` (relative, "/"-separated) that is a symbolic link. */
export async function symlinkOnTheWay(root: string, file: string): Promise<string | undefined> {
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new OciError('LAYOUT', `${file} is not inside the layout ${root}`);
  }
  const parts = relative.split(path.sep);
  for (let i = 1; i <= parts.length; i++) {
    const stat = await fs.lstat(path.join(root, ...parts.slice(0, i))).catch(() => undefined);
    if (!stat) return undefined; // nothing below a missing entry exists either
    if (stat.isSymbolicLink()) return parts.slice(0, i).join('/');
  }
  return undefined;
}

/** Throws LayoutSymlinkError when any entry from `root` down to `file` is a symbolic link. */
export async function assertNoSymlink(root: string, file: string): Promise<void> {
  const link = await symlinkOnTheWay(root, file);
  if (link !== undefined) throw new LayoutSymlinkError(root, link);
}

/** lstat of a layout entry reached without links: undefined when missing, throws on a link on the way. */
export async function statLayoutEntry(root: string, file: string): Promise<Stats | undefined> {
  await assertNoSymlink(root, file);
  return fs.lstat(file).catch(() => undefined);
}

/**
 * Opens a regular file of the layout for reading, never through a link. Throws NotFoundError when it is
 * missing, LayoutSymlinkError for a link, OCI LAYOUT for anything but a regular file.
 */
export async function openLayoutFile(
  root: string,
  file: string,
  what: string,
): Promise<{ handle: fs.FileHandle; size: number }> {
  await assertNoSymlink(root, file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(what, { cause: err });
    // ELOOP: the file became a link after the check above.
    if (code === 'ELOOP') throw new LayoutSymlinkError(root, path.relative(root, file).split(path.sep).join('/'));
    throw err;
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new OciError('LAYOUT', `${what}: ${file} is not a regular file`);
  }
  return { handle, size: stat.size };
}

/** Reads a whole layout file of at most `maxBytes` (JSON documents: index.json, oci-layout, manifests). */
export async function readLayoutFile(
  root: string,
  file: string,
  maxBytes: number,
  what: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  const { handle, size } = await openLayoutFile(root, file, what);
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
