// What a transfer's progress notification shows: bytes done of total and items, and for a transfer of several
// tags (a backup, a restore) which tag of how many, with the bar filling across all of them. Each tag is its own
// copy with its own totals: drawn as they come, the bar stood full after the first tag and the message went back
// to "0 B of …" for the next. Free of the editor API (unit-tested).
import type { CopyProgress } from '../core/graph';
import { formatBytes, printable } from '../core/oci';

/** Which of several steps (the tags of a backup or restore) a progress report is about. */
export interface TransferStep {
  label: string;
  /** 1-based. */
  position: number;
  count: number;
}

export function transferMessage(p: Readonly<CopyProgress>, step?: TransferStep): string {
  const skipped = p.skippedItems ? `, ${p.skippedItems} already there` : '';
  const bytes = `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)} (${p.doneItems}/${p.totalItems} items${skipped})`;
  return step ? `${printable(step.label)} (${step.position}/${step.count}): ${bytes}` : bytes;
}

/** How full the bar is, 0–100: this step's share done plus the steps before it. */
export function transferPercent(p: Readonly<CopyProgress>, step?: TransferStep): number {
  const fraction = p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : 0;
  if (!step || step.count < 1) return fraction * 100;
  return ((Math.min(step.position, step.count) - 1 + fraction) / step.count) * 100;
}
