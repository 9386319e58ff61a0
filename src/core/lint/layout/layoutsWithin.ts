// Whether folders (moved or copied in by another tool) hold an OCI image layout themselves or somewhere below.
// Bounded both ways, because a folder moved into a workspace may be a whole disk's worth of files: at most
// `maxDepth` levels down, at most `maxFolders` folders listed in all, and of each folder at most `maxEntriesRead`
// entries, read a batch at a time (never a whole listing of a folder of a million files in memory at once); what
// lies beyond is left to the next search of the workspace. Links are not followed (a loop, or a tree outside the
// folder) and node_modules is skipped, as the workspace search skips it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isLayoutFolder } from './layoutFiles';

export interface LayoutSearchLimits {
  /** Levels below each folder looked into (0: the folder itself only). */
  maxDepth: number;
  /** Folders listed in all, across every folder given. */
  maxFolders: number;
  /**
   * Entries read of one folder (DEFAULT_MAX_ENTRIES_READ by default): a folder of a million files is read a batch
   * at a time up to this many, never listed whole into memory at once.
   */
  maxEntriesRead?: number;
}

export const DEFAULT_MAX_ENTRIES_READ = 10_000;

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
      // No more folders are kept for the next level than could still be listed: a folder holding thousands of
      // folders costs one listing, not thousands of checks.
      for await (const name of subfolders(folder, limits.maxEntriesRead ?? DEFAULT_MAX_ENTRIES_READ)) {
        if (next.length >= limits.maxFolders - listed) break;
        next.push(path.join(folder, name));
      }
    }
    level = next;
  }
  return false;
}

/** The names of the real folders (not links, not node_modules) among the first `maxEntries` entries of `folder`. */
async function* subfolders(folder: string, maxEntries: number): AsyncGenerator<string> {
  const dir = await fs.opendir(folder).catch(() => undefined);
  if (!dir) return;
  let read = 0;
  try {
    // The iterator reads the folder a batch of entries at a time and closes it when the loop ends.
    for await (const entry of dir) {
      if (++read > maxEntries) return;
      if (entry.isDirectory() && entry.name !== 'node_modules') yield entry.name;
    }
  } catch {
    // A folder that cannot be read further holds nothing more to look into.
  }
}
