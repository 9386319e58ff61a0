// Tags of a local store (layout, archive, memory) the way the distribution spec pages a registry's: in lexical
// order, `pageSize` at a time, starting after `startAfter` (the spec's `last`).
import { throwIfAborted } from '../oci';

export interface TagListing {
  signal?: AbortSignal;
  /** Tags per page (the spec's `n`); registries may answer with fewer. */
  pageSize?: number;
  /** Only tags lexically after this one (the spec's `last`, ORAS's `--last`). */
  startAfter?: string;
  /**
   * The caller acts on the whole list (copying every tag, deleting by pattern): a listing the store cannot finish
   * fails rather than ending early. Local stores always list everything.
   */
  whole?: boolean;
}

/** `tags` (duplicates dropped) sorted and paged as `options` asks. */
export function* tagPages(tags: Iterable<string>, options: TagListing = {}): Generator<string[]> {
  throwIfAborted(options.signal);
  const { startAfter } = options;
  const sorted = [...new Set(tags)].filter((t) => startAfter === undefined || t > startAfter).sort();
  const pageSize = options.pageSize && options.pageSize > 0 ? options.pageSize : Math.max(sorted.length, 1);
  for (let i = 0; i < sorted.length; i += pageSize) yield sorted.slice(i, i + pageSize);
}
