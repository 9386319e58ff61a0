// Whether folders (moved or copied in by another tool) hold an OCI image layout themselves or somewhere below.
// Bounded both ways, because a folder moved into a workspace may be a whole disk's worth of files: at most
// `maxDepth` levels down and at most `maxFolders` folders listed in all; what lies beyond is left to the next
// search of the workspace. Links are not followed (a loop, or a tree outside the folder) and node_modules is
// skipped, as the workspace search skips it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isLayoutFolder } from './layoutFiles';

export interface LayoutSearchLimits {
  /** Levels below each folder looked into (0: the folder itself only). */
  maxDepth: number;
  /** Folders listed in all, across every folder given. */
  maxFolders: number;
}

/** True as soon as one of `folders`, or a folder below one within the limits, is a layout. */
export async function holdsLayoutWithin(folders: readonly string[], limits: LayoutSearchLimits): Promise<boolean> {
  let level = [...folders];
  let listed = 0;
  for (let depth = 0; level.length; depth++) {
    // One level at a time, breadth first: a layout near the top is found before the budget goes deep.
    if ((await Promise.all(level.map((folder) => isLayoutFolder(folder)))).some(Boolean)) return true;
    if (depth === limits.maxDepth) return false;
    const next: string[] = [];
    for (const folder of level) {
      if (listed >= limits.maxFolders) return false;
      listed++;
      const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        // No more folders are kept for the next level than could still be listed: a folder holding thousands of
        // folders costs one listing, not thousands of checks.
        if (next.length >= limits.maxFolders - listed) break;
        if (entry.isDirectory() && entry.name !== 'node_modules') next.push(path.join(folder, entry.name));
      }
    }
    level = next;
  }
  return false;
}
