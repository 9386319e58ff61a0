// "Copy To…": an artifact (and, when asked, its referrers) into any registry repository or layout, in one
// cancellable transfer; a typed reference reaches registries that are not configured too (with the engine's
// default transport, credentials from the usual chain). Drag and drop in the views ends here too.
import { copy, describeReferrersLeft } from '../../core/graph';
import { counted, formatReference, type StoreRef } from '../../core/oci';
import { transferInto } from './transferInto';
import { isManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { notifyTransferDone } from './notifyTransferDone';
import { artifactName, askTag, pickArtifact, pickDestination, resolveManifest } from './pickers';

const TITLE = 'Copy To';

export interface CopyRequest {
  destination?: StoreRef;
  tag?: string;
  referrers?: boolean;
}

export function copyTo(ctx: CommandContext) {
  return async (node?: TreeNode, request: CopyRequest = {}): Promise<string | undefined> => {
    const source = isManifestNode(node) ? node : await pickArtifact(ctx, TITLE);
    if (!source) return undefined;
    // Read before the questions: a source deleted since the view listed it fails now, not after three answers.
    const { target, descriptor } = await resolveManifest(ctx, source);
    const picked = request.destination
      ? { store: request.destination }
      : await pickDestination(ctx, TITLE, { typedReference: true });
    if (!picked) return undefined;
    const destination = picked.store;
    const tag =
      request.tag ?? picked.tag ?? (await askTag(ctx, TITLE, { prompt: 'Tag at the destination', value: source.tag }));
    if (tag === undefined) return undefined;
    const referrers = request.referrers ?? (await askIncludeReferrers(ctx));
    if (referrers === undefined) return undefined;
    const concurrency = ctx.settings().concurrency;
    const destinationText = formatReference({ ...destination, tag });
    const result = await transferInto(ctx, `Copying to ${destinationText}`, destination, (dst, signal, report) =>
      copy(target, descriptor, dst, { tag, referrers, concurrency, signal, onProgress: report }),
    );
    ctx.log.info(
      `Copied ${result.descriptor.digest} to ${destinationText} (${counted(result.progress.doneItems, 'item')}, ${result.progress.skippedItems} already there)`,
    );
    refreshStore(ctx, destination);
    const left = describeReferrersLeft(result);
    for (const line of left) ctx.log.warn(line);
    const copied = `Copied ${artifactName(source, descriptor.digest)} to ${destinationText} (${descriptor.digest}).`;
    void notifyTransferDone(
      ctx,
      destination,
      left.length ? 'warning' : 'info',
      left.length ? `${copied} ${counted(left.length, 'listed referrer')} not copied (see the log).` : copied,
    );
    return result.descriptor.digest;
  };
}

async function askIncludeReferrers(ctx: CommandContext): Promise<boolean | undefined> {
  const choice = await ctx.prompts().pick(
    [
      {
        label: 'Include referrers',
        description: 'signatures, SBOMs and other artifacts that refer to it',
        referrers: true,
      },
      { label: 'Only the artifact', referrers: false },
    ],
    { title: TITLE, placeHolder: 'Copy its referrers too?' },
  );
  return choice?.referrers;
}
