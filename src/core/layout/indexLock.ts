// The lock every writer of a layout's index.json takes (LayoutTarget), and that a failed run takes to decide whether
// a layout folder it made may go (cli/createdLayouts.ts): one path, so that both are the same lock.
import * as path from 'node:path';
import { INDEX_FILE } from '../oci';
import { acquireFileLock, type LockOptions } from './fileLock';

/** The lock file's name, in the layout folder. */
export const INDEX_LOCK_FILE = `${INDEX_FILE}.lock`;

export function indexLockPath(root: string): string {
  return path.join(root, INDEX_LOCK_FILE);
}

/** Takes the index.json lock of the layout at `root`; returns the function that releases it. */
export function lockLayoutIndex(root: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  return acquireFileLock(indexLockPath(root), { what: `on ${INDEX_FILE} of oci:${root}`, ...options });
}
