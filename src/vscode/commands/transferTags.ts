// Tags (or manifests by digest) with their referrers (core's copyTags) into a destination store, in one cancellable progress notification
// that names the tag being copied, fills across all of them and then shows an archive's final write: what Back Up
// Repository…, Restore to Registry… and Copy To… on several artifacts run.
import type { Target } from '../../core/content';
import { copyTags, type CopyTagsOptions, type CopyTagsSummary } from '../../core/graph';
import { shortDigest, type StoreRef } from '../../core/oci';
import type { TransferStep } from '../progress';
import type { CommandContext } from './CommandContext';
import { transferInto } from './transferInto';

export function transferTags(
  ctx: CommandContext,
  title: string,
  src: Target,
  destination: StoreRef,
  what: Pick<CopyTagsOptions, 'tags' | 'digests' | 'referrers' | 'onItem' | 'onTag' | 'movesAgreed' | 'keepGoing'>,
): Thenable<CopyTagsSummary> {
  return transferInto(ctx, title, destination, (dst, signal, report) => {
    let step: TransferStep | undefined;
    return copyTags(src, dst, {
      ...what,
      concurrency: ctx.settings().concurrency,
      signal,
      onTag: (e) => {
        what.onTag?.(e);
        step = {
          label: e.untagged ? shortDigest(e.tag, { withAlgorithm: true }) : e.tag,
          position: e.position,
          count: e.count,
        };
      },
      onProgress: (p) => report(p, step),
    });
  });
}
