// "Did you mean …?" for a mistyped command, subcommand or option: the closest known name by edit distance
// (a swapped, missing or extra letter or two), as git and cobra suggest; nothing when no name is close.

/** Names compared at most: a registry's tag page can hold a million (a guess among the first ones is still a help). */
const MAX_COMPARED = 10_000;

/** The known name closest to `typed`, when it is within a third of its length in edits (at least one). */
export function closest(typed: string, known: readonly string[]): string | undefined {
  return closestFew(typed, known, 1)[0];
}

/** Up to `count` known names within a third of `typed`'s length in edits (at least one), the closest first. */
export function closestFew(typed: string, known: readonly string[], count: number): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  const near: { name: string; distance: number }[] = [];
  for (const name of known.slice(0, MAX_COMPARED)) {
    // Names further apart in length than the limit cannot be close: skipped without a table as long as the name
    // (a registry's tag can be megabytes long).
    if (Math.abs(name.length - typed.length) > limit) continue;
    const distance = editDistance(typed.toLowerCase(), name);
    if (distance <= limit) near.push({ name, distance });
  }
  // Stable: among names as close, the first listed stays first (as `closest` always chose).
  return near
    .sort((a, b) => a.distance - b.distance)
    .slice(0, count)
    .map((n) => n.name);
}

/** ` (did you mean "pull"?)`, or nothing. `show` writes the name as it is typed (`--output`). */
export function didYouMean(typed: string, known: readonly string[], show: (name: string) => string = quote): string {
  const match = closest(typed, known);
  return match ? ` (did you mean ${show(match)}?)` : '';
}

function quote(name: string): string {
  return `"${name}"`;
}

/** Damerau–Levenshtein distance (optimal string alignment): "pul"→"pull" 1, "pulll"→"pull" 1, "plul"→"pull" 1. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
