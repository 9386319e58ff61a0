// Whether two folders hold the same tree: the same names, kinds, file bytes and link targets (times and modes
// aside). A pull compares a folder it unpacked with one already in the target, to leave an unchanged one alone.
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { throwIfAborted } from '../oci';

const CHUNK = 256 * 1024;

export async function sameTree(a: string, b: string, signal?: AbortSignal): Promise<boolean> {
  throwIfAborted(signal);
  const [left, right] = await Promise.all([entries(a), entries(b)]);
  if (left.length !== right.length) return false;
  for (const [i, entry] of left.entries()) {
    const other = right[i]!;
    if (entry.name !== other.name) return false;
    const [x, y] = [path.join(a, entry.name), path.join(b, other.name)];
    if (entry.isDirectory() && other.isDirectory()) {
      if (!(await sameTree(x, y, signal))) return false;
    } else if (entry.isFile() && other.isFile()) {
      if (!(await sameBytes(x, y, signal))) return false;
    } else if (entry.isSymbolicLink() && other.isSymbolicLink()) {
      if ((await fs.readlink(x)) !== (await fs.readlink(y))) return false;
    } else return false;
  }
  return true;
}

async function entries(dir: string): Promise<Dirent[]> {
  return (await fs.readdir(dir, { withFileTypes: true })).sort((p, q) =>
    p.name < q.name ? -1 : p.name > q.name ? 1 : 0,
  );
}

async function sameBytes(a: string, b: string, signal?: AbortSignal): Promise<boolean> {
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
