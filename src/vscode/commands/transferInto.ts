// Work that writes into a store, in one cancellable progress notification: the bytes of the transfer, then a layout
// archive's final write. The destination is named once, for both the write (Stores.writeTo) and the bar.
import type { Target } from '../../core/content';
import type { StoreRef } from '../../core/oci';
import { runTransfer, type PackingReporter, type TransferReporter } from '../progress';
import type { CommandContext } from './CommandContext';

export function transferInto<T>(
  ctx: CommandContext,
  title: string,
  destination: StoreRef,
  work: (target: Target, signal: AbortSignal, report: TransferReporter, reportPacking: PackingReporter) => Promise<T>,
): Thenable<T> {
  return runTransfer(
    title,
    (signal, report, reportWrite, reportPacking) =>
      ctx.stores.writeTo(destination, (target) => work(target, signal, report, reportPacking), signal, reportWrite),
    destination,
  );
}
