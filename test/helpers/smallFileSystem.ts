// A real small file system to fill: a tmpfs of a given size, mounted (as root) at a new folder for the time of a
// test's body and unmounted after it, whatever the body did.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';

/** Mounts a tmpfs of `size` (mount's form: "1m", "16k") at `folder` (made here), runs `body`, then unmounts it. */
export async function onSmallFileSystem<T>(folder: string, size: string, body: () => Promise<T>): Promise<T> {
  assert.equal(process.getuid?.(), 0, 'this test mounts a small tmpfs to fill it, and needs to run as root');
  await fs.mkdir(folder, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', folder]);
  try {
    return await body();
  } finally {
    execFileSync('umount', [folder]);
  }
}

/** Gives the tmpfs mounted at `folder` a new size (room made, as a user frees space). */
export function resizeSmallFileSystem(folder: string, size: string): void {
  execFileSync('mount', ['-o', `remount,size=${size}`, folder]);
}
