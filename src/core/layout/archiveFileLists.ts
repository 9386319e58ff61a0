// The lists an archive is written from, handed to the writer in name order one file at a time (SortedArchiveFiles):
// a plain array sorted once, and two lists merged as they are read, so that a large backup's staged blobs (a
// compact list, stagedBlobList.ts) never become one object each all at once.
import type { ArchiveFile, SortedArchiveFiles } from './archiveWriter';

/** `files` in name order (a sorted copy; the array is small: index.json, oci-layout, an old archive's blobs). */
export function inNameOrder(files: readonly ArchiveFile[]): SortedArchiveFiles {
  const sorted = [...files].sort((a, b) => compareNames(a.name, b.name));
  return {
    count: files.length,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    sorted: () => sorted,
  };
}

/**
 * `base` and `over` merged in name order as they are read; a file of `base` whose name `over` holds too is left out
 * (a blob staged again replaces the old archive's copy).
 */
export function mergedByName(
  base: readonly ArchiveFile[],
  over: SortedArchiveFiles & { has(name: string): boolean },
): SortedArchiveFiles {
  const kept = base.filter((file) => !over.has(file.name));
  const first = inNameOrder(kept);
  return {
    count: first.count + over.count,
    totalBytes: first.totalBytes + over.totalBytes,
    *sorted() {
      const a = first.sorted()[Symbol.iterator]();
      const b = over.sorted()[Symbol.iterator]();
      let x = a.next();
      let y = b.next();
      while (!x.done || !y.done) {
        if (y.done || (!x.done && compareNames(x.value.name, y.value.name) < 0)) {
          yield x.value as ArchiveFile;
          x = a.next();
        } else {
          yield y.value;
          y = b.next();
        }
      }
    },
  };
}

/** Names compared as the tar lists them: by UTF-16 code unit, as `<` does (layout names are ASCII). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
