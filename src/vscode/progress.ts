// Long transfers run in a cancellable progress notification showing bytes done of total, then the final write of
// a layout archive; Cancel aborts the engine's operation through its AbortSignal.
import * as vscode from 'vscode';
import type { WriteProgress } from '../core/content';
import type { CopyProgress } from '../core/graph';
import type { PackProgress } from '../core/files';
import { toAbortSignal } from './abort';
import { TransferRate, untrustedText, type StoreRef } from '../core/oci';
import {
  finalWriteMessage,
  finalWritePercent,
  packingMessage,
  transferMessage,
  transferPercent,
  type TransferStep,
} from './transferProgress';

export { transferMessage, type TransferStep } from './transferProgress';

/** `step`: which tag of a backup or restore the progress is of (the bar then fills across all of them). */
export type TransferReporter = (progress: Readonly<CopyProgress>, step?: TransferStep) => void;

/** The final write of a store that holds its writes back until the transfer succeeded (a layout archive). */
export type FinalWriteReporter = (progress: Readonly<WriteProgress>) => void;

/** Files packed or hashed before a push sends anything (the bar stays where it is; the message moves). */
export type PackingReporter = (progress: Readonly<PackProgress>) => void;

let running = 0;
/** What the most recent transfer's notification showed, for the extension's tests (the last few hundred). */
let shown: { message: string; percent: number }[] = [];
const SHOWN_KEPT = 500;

/** The messages and bar positions the most recent transfer's notification showed, in order. */
export function shownTransferProgress(): readonly { message: string; percent: number }[] {
  return shown;
}

/** Transfers whose progress notification is showing now: a failure or cancel must bring this back down. */
export function runningTransfers(): number {
  return running;
}

let statusBarReads = 0;

/** Reads showing progress in the status bar now (a document's layers being read), for the extension's tests. */
export function runningStatusBarReads(): number {
  return statusBarReads;
}

/**
 * A read the user waits for in an editor (a `files` document reads every layer): a spinner and its title in the
 * status bar, where a long read is seen without a notification in the way.
 */
export function statusBarProgress<T>(title: string, work: () => Thenable<T> | Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: untrustedText(title) },
    async () => {
      statusBarReads++;
      try {
        return await work();
      } finally {
        statusBarReads--;
      }
    },
  );
}

/** A cancellable progress notification; its title names stores and tags, so it is shown as untrusted text. */
export function notificationProgress(title: string): vscode.ProgressOptions {
  return { location: vscode.ProgressLocation.Notification, title: untrustedText(title), cancellable: true };
}

/**
 * `destination`: where the transfer writes; a layout archive is written whole at the end, which `reportWrite`
 * shows (Stores.writeTo takes it).
 */
export function runTransfer<T>(
  title: string,
  work: (
    signal: AbortSignal,
    report: TransferReporter,
    reportWrite: FinalWriteReporter,
    reportPacking: PackingReporter,
  ) => Promise<T>,
  destination?: StoreRef,
): Thenable<T> {
  const finalWrite = destination?.kind === 'layout' && destination.archive === true;
  return vscode.window.withProgress(notificationProgress(title), async (progress, token) => {
    let shownPercent = 0;
    shown = [];
    const show = (message: string, percent: number) => {
      progress.report({ message, increment: Math.max(0, percent - shownPercent) });
      shownPercent = Math.max(shownPercent, percent);
      if (shown.push({ message, percent: shownPercent }) > SHOWN_KEPT) shown.shift();
    };
    // Each tag of a backup or restore counts its bytes from zero: its own rate.
    let rate = new TransferRate();
    let rateStep: number | undefined;
    const report: TransferReporter = (p, step) => {
      if (step?.position !== rateStep) [rate, rateStep] = [new TransferRate(), step?.position];
      rate.sample(Date.now(), p.doneBytes);
      show(transferMessage(p, step, rate), transferPercent(p, step, finalWrite));
    };
    const reportWrite: FinalWriteReporter = (p) => show(finalWriteMessage(p), finalWritePercent(p));
    const reportPacking: PackingReporter = (p) => show(packingMessage(p), shownPercent);
    // The notification lasts exactly as long as this callback's promise, so counting here counts what is shown.
    running++;
    try {
      return await work(toAbortSignal(token), report, reportWrite, reportPacking);
    } finally {
      running--;
    }
  });
}
