// Whether a folder already holds a tree: every name in it, of the same kind, with the same file bytes and link
// targets (times and modes aside); other files beside them do not matter. A pull compares the folder it unpacked
// with the one already in the target: one that holds it is left alone (nothing to write), and an --overwrite
// merges into it (pullFiles.ts), so files the user added there stay, as ORAS leaves them.
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { throwIfAborted } from '../oci';

const CHUNK = 256 * 1024;

/** True when `folder` holds every entry of `tree`, alike. */
export async function holdsTree(folder: string, tree: string, signal?: AbortSignal): Promise<boolean> {
  throwIfAborted(signal);
  const [wanted, there] = await Promise.all([entries(tree), entries(folder)]);
  const byName = new Map(there.map((entry) => [entry.name, entry]));
  for (const entry of wanted) {
    const other = byName.get(entry.name);
    if (!other) return false;
    const [x, y] = [path.join(tree, entry.name), path.join(folder, other.name)];
    if (entry.isDirectory() && other.isDirectory()) {
      if (!(await holdsTree(y, x, signal))) return false;
    } else if (entry.isFile() && other.isFile()) {
      if (!(await sameBytes(x, y, signal))) return false;
    } else if (entry.isSymbolicLink() && other.isSymbolicLink()) {
      if ((await fs.readlink(x)) !== (await fs.readlink(y))) return false;
    } else return false;
  }
  return true;
}

/**
 * The names (relative, "/"-separated) `tree` holds that `folder` already holds differently: another kind, other
 * bytes, another link target. Names `folder` lacks, and files alike in both, are not listed; a folder in both is
 * compared entry by entry. At most `max` names.
 */
export async function differingNames(
  folder: string,
  tree: string,
  signal?: AbortSignal,
  max = 100,
  prefix = '',
): Promise<string[]> {
  throwIfAborted(signal);
  const there = await entries(folder).catch(() => [] as Dirent[]);
  const byName = new Map(there.map((entry) => [entry.name, entry]));
  const found: string[] = [];
  for (const entry of await entries(tree)) {
    if (found.length >= max) break;
    const other = byName.get(entry.name);
    if (!other) continue;
    const [x, y] = [path.join(tree, entry.name), path.join(folder, other.name)];
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory() && other.isDirectory())
      found.push(...(await differingNames(y, x, signal, max - found.length, `${name}/`)));
    else if (entry.isFile() && other.isFile()) {
      if (!(await sameBytes(x, y, signal))) found.push(name);
    } else if (entry.isSymbolicLink() && other.isSymbolicLink()) {
      if ((await fs.readlink(x)) !== (await fs.readlink(y))) found.push(name);
    } else found.push(name);
  }
  return found;
}

function entries(dir: string): Promise<Dirent[]> {
  return fs.readdir(dir, { withFileTypes: true });
}

/** Whether the files `a` and `b` hold the same bytes. */
export async function sameBytes(a: string, b: string, signal?: AbortSignal): Promise<boolean> {
  const [x, y] = await Promise.all([fs.open(a, 'r'), fs.open(b, 'r')]);
  try {
    const [sx, sy] = await Promise.all([x.stat(), y.stat()]);
    if (sx.size !== sy.size) return false;
    const [bx, by] = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    for (let at = 0; at < sx.size; at += CHUNK) {
      throwIfAborted(signal);
      const length = Math.min(CHUNK, sx.size - at);
      const [rx, ry] = await Promise.all([x.read(bx, 0, length, at), y.read(by, 0, length, at)]);
      if (rx.bytesRead !== length || ry.bytesRead !== length) return false;
      if (!bx.subarray(0, length).equals(by.subarray(0, length))) return false;
    }
    return true;
  } finally {
    await Promise.all([x.close(), y.close()]);
  }
}
