// Transfer progress on stderr: redrawn in place when stderr is a terminal that can clear a line, else a line now
// and then for a long transfer.
import type { CopyProgress } from '../core/graph';
import type { PackProgress } from '../core/files';
import { describeRate, formatBytes, showInvisible, TransferRate } from '../core/oci';
import type { CliIO } from './command';
import { cutToWidth } from '../core/content';

/**
 * "512 MiB / 1.0 GiB (50%) at 210 MiB/s, 3 s left, 0/1 items": the rate and the time left once `rate` knows them
 * (a gigabyte transfer with only a byte count leaves the user doing the arithmetic).
 */
export function describeProgress(p: Readonly<CopyProgress>, rate?: TransferRate): string {
  const skipped = p.skippedItems ? `, ${p.skippedItems} already there` : '';
  const share = p.totalBytes > 0 ? ` (${Math.floor((p.doneBytes / p.totalBytes) * 100)}%)` : '';
  const speed = describeRate(rate, p.doneBytes, p.totalBytes);
  return `${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}${share}${speed ? ` ${speed}` : ''}, ${p.doneItems}/${p.totalItems} items${skipped}`;
}

/**
 * `line` cut to what one row of a terminal `columns` wide holds, by display width (a CJK or emoji tag takes two
 * columns a character), the last column left free: a wrapped line is not cleared by a redraw.
 */
function fitted(line: string, columns: number | undefined): string {
  return columns ? cutToWidth(line, Math.max(1, columns - 1)) : line;
}

/**
 * Most columns a tag at the head of a progress line takes, cut as a terminal row is cut, so the counts after it
 * stay on the line. A layout's tag may be megabytes: the logged line (a CI log, a pipe), which has no row to fit,
 * printed it whole every LOG_PROGRESS_EVERY_MS.
 */
const MAX_NAME_COLUMNS = 60;
/** Most columns of a whole label: a name and what follows it ("v1.2 (3/10)", "writing backup.tar"). */
const MAX_LABEL_COLUMNS = 80;

/** A tag escaped (a layout's may hold escape sequences) and cut to MAX_NAME_COLUMNS, for a progress label. */
export function progressName(tag: string): string {
  return cutToWidth(showInvisible(tag), MAX_NAME_COLUMNS);
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
 * elsewhere, and a function to finish the line. `onPacking` shows a push's packing (a large folder packs for
 * seconds before anything is sent) the same way.
 */
export function progressReporter(
  io: CliIO,
  verb: string,
  now: () => number = Date.now,
): {
  onProgress?: (p: Readonly<CopyProgress>) => void;
  onPacking?: (p: Readonly<PackProgress>) => void;
  done: () => void;
} {
  const label = cutToWidth(showInvisible(verb), MAX_LABEL_COLUMNS); // a tag: see MAX_NAME_COLUMNS
  const rate = new TransferRate();
  // Progress comes per chunk, thousands a second: the rate takes each, a line is made only when one is shown.
  const transfer = (p: Readonly<CopyProgress>) => {
    rate.sample(now(), p.doneBytes);
    return () => `${label} ${describeProgress(p, rate)}`;
  };
  const packing = (p: Readonly<PackProgress>) => () =>
    `packing ${cutToWidth(showInvisible(p.title), MAX_LABEL_COLUMNS)} ${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}`;
  if (!drawsProgress(io)) {
    let due = now() + LOG_PROGRESS_EVERY_MS;
    const log = (line: () => string, finished: boolean) => {
      if (now() < due || finished) return;
      due = now() + LOG_PROGRESS_EVERY_MS;
      io.err.write(`${line()}\n`);
    };
    return {
      onProgress: (p) => log(transfer(p), p.doneItems >= p.totalItems),
      onPacking: (p) => log(packing(p), p.doneBytes >= p.totalBytes),
      done: () => undefined,
    };
  }
  let last = 0;
  let drawn = false;
  const draw = (line: () => string, finished: boolean) => {
    const at = now();
    if (at - last < 100 && !finished) return;
    last = at;
    drawn = true;
    io.err.write(`\r\u001b[K${fitted(line(), (io.err as { columns?: number }).columns)}`);
  };
  return {
    onProgress: (p) => draw(transfer(p), p.doneItems >= p.totalItems),
    onPacking: (p) => draw(packing(p), p.doneBytes >= p.totalBytes),
    done: () => {
      if (drawn) io.err.write('\r\u001b[K');
    },
  };
}
