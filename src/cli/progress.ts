// Transfer progress on stderr: redrawn in place when stderr is a terminal that can clear a line, else a line now
// and then for a long transfer.
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

/**
 * Where a line cannot be redrawn (a CI log, a pipe, TERM=dumb): a transfer still running after this long says how
 * far it got, one line each time this long passes again. A log that stays silent for minutes looks hung, and some
 * CI services end a job that prints nothing for ten minutes; a quick command prints no such line at all.
 */
export const LOG_PROGRESS_EVERY_MS = 30_000;

/**
 * A progress callback that redraws at most every 100 ms on a terminal, or logs a line every LOG_PROGRESS_EVERY_MS
 * elsewhere, and a function to finish the line.
 */
export function progressReporter(
  io: CliIO,
  verb: string,
  now: () => number = Date.now,
): { onProgress?: (p: Readonly<CopyProgress>) => void; done: () => void } {
  const label = showInvisible(verb); // names a tag: a layout's may hold escape sequences
  if (!drawsProgress(io)) {
    let due = now() + LOG_PROGRESS_EVERY_MS;
    return {
      onProgress: (p) => {
        if (now() < due || p.doneItems >= p.totalItems) return;
        due = now() + LOG_PROGRESS_EVERY_MS;
        io.err.write(`${label} ${describeProgress(p)}\n`);
      },
      done: () => undefined,
    };
  }
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
