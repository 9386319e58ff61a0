// A folder's whole tree (relative path → content, link target or "<dir>"), to prove it did not change.
// Walked by hand: symlinks are recorded, never followed.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function snapshotTree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    const full = path.join(dir, rel);
    if (entry.isSymbolicLink()) out[rel] = `-> ${await fs.readlink(full)}`;
    else if (entry.isDirectory()) {
      out[rel] = '<dir>';
      Object.assign(out, await snapshotTree(dir, rel));
    } else if (entry.isFile()) out[rel] = (await fs.readFile(full)).toString('base64');
    else out[rel] = '<special>';
  }
  return out;
}
