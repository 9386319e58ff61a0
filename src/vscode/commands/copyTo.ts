// "Copy To…": an artifact (and, when asked, its referrers) into any registry repository or layout, in one
// cancellable transfer; a typed reference reaches registries that are not configured too (with the engine's
// default transport, credentials from the usual chain). Drag and drop in the views ends here too. On several
// selected rows: copySeveral.
import { copy, describeReferrersLeft, tagIfUnchanged, type CopyTagsSummary } from '../../core/graph';
import { counted, formatReference, type Descriptor, type StoreRef } from '../../core/oci';
import type { Target } from '../../core/content';
import { runSteps } from '../multiStep';
import type { TypedDestination } from './destinationReference';
import { transferInto } from './transferInto';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import { refreshStore, type CommandContext } from './CommandContext';
import { notifyTransferDone } from './notifyTransferDone';
import { referrersFollowed } from './referrersFollowed';
import { COPY_PINNED_REFERENCE, copyWhenChosen, shownDigest } from './doneWithReference';
import { askTag, pickArtifact, pickDestination, resolveManifest } from './pickers';
import { askIncludeReferrers } from './includeReferrers';
import { copySeveral } from './copySeveral';
import { selectedArtifacts } from './selection';
import { agreeToTagMove } from './tagMoves';
import { shownReference } from '../shownReference';

const TITLE = 'Copy To';

export interface CopyRequest {
  destination?: StoreRef;
  tag?: string;
  referrers?: boolean;
}

export function copyTo(ctx: CommandContext) {
  return async (
    node?: TreeNode,
    // From a view's context menu, VS Code passes the selection; the extension's own callers, a request (a drop of
    // several rows: the selection and then the request).
    selectionOrRequest?: readonly TreeNode[] | CopyRequest,
    requestWithSelection?: CopyRequest,
  ): Promise<string | CopyTagsSummary | undefined> => {
    const selected = Array.isArray(selectionOrRequest) ? selectionOrRequest : undefined;
    const request: CopyRequest =
      (selected ? requestWithSelection : (selectionOrRequest as CopyRequest | undefined)) ?? {};
    const several = selectedArtifacts(node, selected);
    if (several.length > 1)
      return copySeveral(ctx, TITLE, several, { destination: request.destination, referrers: request.referrers });
    let source: ManifestNode | undefined = isManifestNode(node) ? node : undefined;
    let resolved: { target: Target; descriptor: Descriptor } | undefined;
    let picked: TypedDestination | undefined = request.destination && { store: request.destination };
    let tag = request.tag;
    let referrers = request.referrers;
    const answered = await runSteps(ctx, [
      {
        questions: source ? 0 : 1,
        ask: async (c) => {
          if (!isManifestNode(node)) source = await pickArtifact(c, TITLE);
          // Read before the questions: a source deleted since the view listed it fails now, not after three answers.
          return source && (resolved = await resolveManifest(c, source));
        },
      },
      {
        when: () => !request.destination,
        // A typed reference may name the tag: whether the tag is asked is known once it is answered.
        decidesCount: true,
        ask: async (c) => (picked = await pickDestination(c, TITLE, { typedReference: true })),
      },
      {
        when: () => request.tag === undefined && picked?.tag === undefined,
        ask: async (c) => (tag = await askTag(c, TITLE, { prompt: 'Tag at the destination', value: source!.tag })),
      },
      {
        when: () => request.referrers === undefined,
        ask: async (c) =>
          (referrers = await askIncludeReferrers(c, {
            title: TITLE,
            placeHolder: 'Copy its referrers too?',
            includes: 'signatures, SBOMs and other artifacts that refer to it',
            only: 'Only the artifact',
          })),
      },
    ]);
    if (!answered || !source || !resolved || !picked || referrers === undefined) return undefined;
    tag = request.tag ?? picked.tag ?? tag;
    if (tag === undefined) return undefined;
    const tagged = tag;
    const { target, descriptor } = resolved;
    const destination = picked.store;
    const concurrency = ctx.settings().concurrency;
    const destinationText = shownReference({ ...destination, tag });
    // Copying onto a tag that names another artifact there changes what it pulls: asked, as for several tags.
    const wording = { verb: 'Copying', action: 'Copy' };
    const agreed = await agreeToTagMove(
      ctx,
      destination,
      tag,
      descriptor.digest,
      formatReference(destination),
      wording,
    );
    if (!agreed) return undefined;
    const followed: Descriptor[] = [];
    // Copied untagged, then tagged only if the tag still names what it did at the question (minutes may pass).
    const result = await transferInto(
      ctx,
      `Copying to ${destinationText}`,
      destination,
      async (dst, signal, report) => {
        const copied = await copy(target, descriptor, dst, {
          referrers,
          concurrency,
          signal,
          onProgress: report,
          onItem: (item, outcome) => {
            if (outcome.manifest && outcome.referrer) followed.push({ ...item, artifactType: outcome.artifactType });
          },
        });
        await tagIfUnchanged(dst, copied.descriptor, tagged, agreed.move, signal);
        return copied;
      },
    );
    ctx.log.info(
      `Copied ${result.descriptor.digest} to ${formatReference({ ...destination, tag })} (${counted(result.progress.doneItems, 'item')}, ${result.progress.skippedItems} already there)`,
    );
    refreshStore(ctx, destination);
    const left = describeReferrersLeft(result);
    for (const line of left) ctx.log.warn(line);
    // Promoting an artifact, its signatures and SBOMs must follow: said, or that there were none.
    const along = referrers ? referrersFollowed(followed) : '';
    const copied = `Copied ${shownReference({ ...source.store, tag: source.tag })}${along ? ` with ${along}` : ''} to ${destinationText} (${shownDigest(descriptor.digest)})${referrers && !along ? '; it has no referrers' : ''}.`;
    void copyWhenChosen(
      ctx.prompts(),
      notifyTransferDone(
        ctx,
        destination,
        left.length ? 'warning' : 'info',
        left.length ? `${copied} ${counted(left.length, 'listed referrer')} not copied (see the log).` : copied,
        COPY_PINNED_REFERENCE,
      ),
      { store: destination, tag, digest: descriptor.digest },
    );
    return result.descriptor.digest;
  };
}
