// Long transfers run in a cancellable progress notification showing bytes done of total; Cancel aborts the
// engine's operation through its AbortSignal.
import * as vscode from 'vscode';
import type { CopyProgress } from '../core/graph';
import { toAbortSignal } from './abort';
import { untrustedText } from '../core/oci';
import { transferMessage, transferPercent, type TransferStep } from './transferProgress';

export { transferMessage, type TransferStep } from './transferProgress';

/** `step`: which tag of a backup or restore the progress is of (the bar then fills across all of them). */
export type TransferReporter = (progress: Readonly<CopyProgress>, step?: TransferStep) => void;

let running = 0;

/** Transfers whose progress notification is showing now: a failure or cancel must bring this back down. */
export function runningTransfers(): number {
  return running;
}

/** A cancellable progress notification; its title names stores and tags, so it is shown as untrusted text. */
export function notificationProgress(title: string): vscode.ProgressOptions {
  return { location: vscode.ProgressLocation.Notification, title: untrustedText(title), cancellable: true };
}

export function runTransfer<T>(
  title: string,
  work: (signal: AbortSignal, report: TransferReporter) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(notificationProgress(title), async (progress, token) => {
    let shownPercent = 0;
    const report: TransferReporter = (p, step) => {
      const percent = transferPercent(p, step);
      progress.report({ message: transferMessage(p, step), increment: Math.max(0, percent - shownPercent) });
      shownPercent = Math.max(shownPercent, percent);
    };
    // The notification lasts exactly as long as this callback's promise, so counting here counts what is shown.
    running++;
    try {
      return await work(toAbortSignal(token), report);
    } finally {
      running--;
    }
  });
}
