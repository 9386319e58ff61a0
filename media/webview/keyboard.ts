// Arrow keys move the focus to the nearest node in that direction; Enter selects, "+" on a truncated node
// expands it. The graph is one Tab stop (the node last focused or selected), as a tree is: Tab leaves it.
export function nearestInDirection(
  from: { x: number; y: number },
  candidates: Iterable<[string, { x: number; y: number }]>,
  key: string,
): string | undefined {
  const dir =
    key === 'ArrowRight'
      ? [1, 0]
      : key === 'ArrowLeft'
        ? [-1, 0]
        : key === 'ArrowDown'
          ? [0, 1]
          : key === 'ArrowUp'
            ? [0, -1]
            : undefined;
  if (!dir) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  for (const [id, at] of candidates) {
    const dx = at.x - from.x;
    const dy = at.y - from.y;
    const along = dx * dir[0]! + dy * dir[1]!;
    if (along <= 0) continue;
    const across = Math.abs(dx * dir[1]! - dy * dir[0]!);
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
