// Long transfers run in a cancellable progress notification showing bytes done of total; Cancel aborts the
// engine's operation through its AbortSignal.
import * as vscode from 'vscode';
import type { CopyProgress } from '../core/copy';
import { toAbortSignal } from './abort';
import { formatBytes } from './tree/labels';

export type TransferReporter = (progress: Readonly<CopyProgress>) => void;

export function runTransfer<T>(title: string, work: (signal: AbortSignal, report: TransferReporter) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    let shownPercent = 0;
    const report: TransferReporter = (p) => {
      const percent = p.totalBytes > 0 ? Math.min(100, (p.doneBytes / p.totalBytes) * 100) : 0;
      progress.report({ message: transferMessage(p), increment: Math.max(0, percent - shownPercent) });
      shownPercent = Math.max(shownPercent, percent);
    };
    return work(toAbortSignal(token), report);
  });
}

export function transferMessage(p: Readonly<CopyProgress>): string {
  const skipped = p.skippedItems ? `, ${p.skippedItems} already there` : '';
  return `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)} (${p.doneItems}/${p.totalItems} items${skipped})`;
}
