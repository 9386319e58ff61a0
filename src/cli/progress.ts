// Transfer progress on stderr, redrawn in place, only when stderr is a terminal that can clear a line.
import type { CopyProgress } from '../core/graph';
import { formatBytes, showInvisible } from '../core/oci';
import type { CliIO } from './command';

export function describeProgress(p: Readonly<CopyProgress>): string {
  const skipped = p.skippedItems ? `, ${p.skippedItems} already there` : '';
  return `${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}, ${p.doneItems}/${p.totalItems} items${skipped}`;
}

/**
 * Whether a line may be redrawn in place on stderr: a terminal, and not one that declares it cannot move the
 * cursor or clear a line (TERM=dumb: Emacs' shell, some CI consoles that run jobs under a pseudo-terminal), where
 * the escape sequence would print as litter on every update.
 */
export function drawsProgress(io: Pick<CliIO, 'interactive' | 'env'>): boolean {
  return io.interactive && io.env['TERM'] !== 'dumb';
}

/** A progress callback that redraws at most every 100 ms, and a function to finish the line. */
export function progressReporter(
  io: CliIO,
  verb: string,
): { onProgress?: (p: Readonly<CopyProgress>) => void; done: () => void } {
  if (!drawsProgress(io)) return { done: () => undefined };
  const label = showInvisible(verb); // names a tag: a layout's may hold escape sequences
  let last = 0;
  let drawn = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 100 && p.doneItems < p.totalItems) return;
      last = now;
      drawn = true;
      io.err.write(`\r\u001b[K${label} ${describeProgress(p)}`);
    },
    done: () => {
      if (drawn) io.err.write('\r\u001b[K');
    },
  };
}
