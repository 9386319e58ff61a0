// What a transfer's progress notification shows: bytes done of total and items, and for a transfer of several
// tags (a backup, a restore) which tag of how many, with the bar filling across all of them. Each tag is its own
// copy with its own totals: drawn as they come, the bar stood full after the first tag and the message went back
// to "0 B of …" for the next. A layout archive is written whole after the transfer (seconds for a large one, where
// the notification said nothing): the transfer fills the first half of the bar and that write the second, since it
// moves every byte of the archive once more. Free of the editor API (unit-tested).
import type { WriteProgress } from '../core/content';
import type { CopyProgress } from '../core/graph';
import type { PackProgress } from '../core/files';
import { describeRate, formatBytes, printable, type TransferRate } from '../core/oci';

/** Which of several steps (the tags of a backup or restore) a progress report is about. */
export interface TransferStep {
  label: string;
  /** 1-based. */
  position: number;
  count: number;
}

/** "412 MiB of 1.0 GiB at 215 MiB/s, 3 s left (0/1 items)": the rate and time left once `rate` knows them. */
export function transferMessage(p: Readonly<CopyProgress>, step?: TransferStep, rate?: TransferRate): string {
  const skipped = p.skippedItems ? `, ${p.skippedItems} already there` : '';
  const speed = describeRate(rate, p.doneBytes, p.totalBytes);
  const bytes = `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}${speed ? ` ${speed}` : ''} (${p.doneItems}/${p.totalItems} items${skipped})`;
  return step ? `${printable(step.label)} (${step.position}/${step.count}): ${bytes}` : bytes;
}

/** "Packing site: 120 MiB of 400 MiB": a folder packed (or a file hashed) before anything is sent. */
export function packingMessage(p: Readonly<PackProgress>): string {
  return `Packing ${printable(p.title)}: ${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}`;
}

/**
 * How full the bar is, 0–100: this step's share done plus the steps before it; with `finalWrite` (the destination
 * is written whole at the end) the transfer fills the first half.
 */
export function transferPercent(p: Readonly<CopyProgress>, step?: TransferStep, finalWrite = false): number {
  const fraction = doneFraction(p);
  const share = finalWrite ? FINAL_WRITE_SHARE : 1;
  if (!step || step.count < 1) return fraction * 100 * share;
  return ((Math.min(step.position, step.count) - 1 + fraction) / step.count) * 100 * share;
}

/** The half of the bar the final write of a layout archive fills. */
const FINAL_WRITE_SHARE = 0.5;

/** "Writing the archive: 1.0 GiB of 2.0 GiB (3/7 files)", as the archive is written whole after the transfer. */
export function finalWriteMessage(p: Readonly<WriteProgress>): string {
  return `Writing the archive: ${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)} (${p.doneItems}/${p.totalItems} files)`;
}

/** How full the bar is while the archive is written: the transfer's half, and this write's share of the rest. */
export function finalWritePercent(p: Readonly<WriteProgress>): number {
  return (FINAL_WRITE_SHARE + (1 - FINAL_WRITE_SHARE) * doneFraction(p)) * 100;
}

function doneFraction(p: Readonly<WriteProgress>): number {
  return p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : 0;
}
