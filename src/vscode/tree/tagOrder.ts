// Tags ordered "recent": newest creation time first (see core/graph createdTime.ts for where the time comes
// from); tags whose time is unknown follow in the fallback order. Pure (unit-tested in Node).

/** Tags whose creation time the tree looks up per listing, at most (each costs one or two requests). */
export const MAX_DATED_TAGS = 500;

/** How many creation-time lookups run at once. */
export const DATING_CONCURRENCY = 4;

export function sortByRecent(
  tags: readonly string[],
  created: ReadonlyMap<string, number | undefined>,
  fallback: (tags: readonly string[]) => string[],
): string[] {
  const dated = tags.filter((t) => created.get(t) !== undefined);
  const undated = tags.filter((t) => created.get(t) === undefined);
  dated.sort((a, b) => created.get(b)! - created.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  return [...dated, ...fallback(undated)];
}
