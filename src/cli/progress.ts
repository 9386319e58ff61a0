// Transfer progress on stderr, redrawn in place, only when stderr is a terminal.
import type { CopyProgress } from '../core/graph';
import { formatBytes, showInvisible } from '../core/oci';
import type { CliIO } from './command';

export function describeProgress(p: Readonly<CopyProgress>): string {
  const skipped = p.skippedItems ? `, ${p.skippedItems} already there` : '';
  return `${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}, ${p.doneItems}/${p.totalItems} items${skipped}`;
}

/** A progress callback that redraws at most every 100 ms, and a function to finish the line. */
export function progressReporter(
  io: CliIO,
  verb: string,
): { onProgress?: (p: Readonly<CopyProgress>) => void; done: () => void } {
  if (!io.interactive) return { done: () => undefined };
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
