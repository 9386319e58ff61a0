// Tags with their referrers (core's copyTags) into a destination store, in one cancellable progress notification
// that names the tag being copied, fills across all of them and then shows an archive's final write: what Back Up
// Repository… and Restore to Registry… both run.
import type { Target } from '../../core/content';
import { copyTags, type CopyTagsSummary } from '../../core/graph';
import type { StoreRef } from '../../core/oci';
import { runTransfer, type TransferStep } from '../progress';
import type { CommandContext } from './CommandContext';

export function transferTags(
  ctx: CommandContext,
  title: string,
  src: Target,
  destination: StoreRef,
  what: { tags: string[]; referrers: boolean },
): Thenable<CopyTagsSummary> {
  return runTransfer(
    title,
    (signal, report, reportWrite) =>
      ctx.stores.writeTo(
        destination,
        (dst) => {
          let step: TransferStep | undefined;
          return copyTags(src, dst, {
            ...what,
            concurrency: ctx.settings().concurrency,
            signal,
            onTag: (e) => (step = { label: e.tag, position: e.position, count: e.count }),
            onProgress: (p) => report(p, step),
          });
        },
        signal,
        reportWrite,
      ),
    destination,
  );
}
