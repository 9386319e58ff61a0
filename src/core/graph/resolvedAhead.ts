// Work started a few items ahead and answered in the items' order: the HEADs a repository copy asks per tag run
// `window` at a time while the tags are still copied, printed and summed up one by one, in order.

/** What one item's work gave: its value, or the error it failed with (never thrown here: the caller decides). */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Yields `work(item)` for each item in order, with at most `window` of them started and not yet yielded. An item
 * not reached (the caller stopped iterating) is never started; one started and then left has its failure caught.
 */
export async function* resolvedAhead<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  window: number,
): AsyncGenerator<Settled<R>> {
  const started: Promise<Settled<R>>[] = [];
  const start = (i: number) =>
    work(items[i]!).then(
      (value): Settled<R> => ({ ok: true, value }),
      (error: unknown): Settled<R> => ({ ok: false, error }),
    );
  for (let i = 0; i < items.length; i++) {
    for (let j = started.length; j < Math.min(items.length, i + Math.max(1, window)); j++) started.push(start(j));
    yield await started[i]!;
    delete started[i];
  }
}
