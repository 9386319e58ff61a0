// Test data: files of random bytes (nothing compresses or deduplicates them), in a temp folder removed after.
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const MiB = 1024 * 1024;

export async function makeWorkDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'stowage-bench-'));
}

/** Writes `size` random bytes to `file` in 16 MiB slices (the page cache then holds it for the runs). */
export async function randomFile(file: string, size: number): Promise<string> {
  const slice = Buffer.allocUnsafe(Math.min(size, 16 * MiB));
  const handle = await fs.open(file, 'w');
  try {
    for (let written = 0; written < size;) {
      const n = Math.min(slice.length, size - written);
      randomFillSync(slice, 0, n);
      await handle.write(slice, 0, n);
      written += n;
    }
  } finally {
    await handle.close();
  }
  return file;
}

/** `count` random files of `size` bytes in `dir`; returns their paths. */
export async function randomFiles(dir: string, count: number, size: number, prefix = 'f'): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++)
    files.push(await randomFile(path.join(dir, `${prefix}${String(i).padStart(5, '0')}.bin`), size));
  return files;
}

export async function removeAll(...paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => fs.rm(p, { recursive: true, force: true })));
}

/** The sha256 digest of a file (untimed set-up: the curl floor names the blob it sends). */
export async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
