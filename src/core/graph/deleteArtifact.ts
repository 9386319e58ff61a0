// Deleting an artifact, optionally with everything that refers to it (referrers of referrers too), so that no
// fallback referrers index is left naming a manifest that is gone. Written over Target: registries and layouts
// behave the same. Only true referrers are deleted: a manifest listed under a subject (in its fallback index or by
// the referrers API) whose own `subject` names another, or none, is reported and left alone (referrerSubject.ts).
import { counted, type Descriptor, OciError, printable, shortDigest, throwIfAborted } from '../oci';
import { refuseIfRetagged } from './retagged';
import type { GraphEdge } from './referrerGraph';
import { buildJudgedGraph } from './judgedGraph';
import { removeFromFallbackIndex, retireFallbackTag } from './fallbackIndex';
import type { NotAReferrer } from './referrerSubject';
import type { Target } from '../content';

/** How deep and how wide a delete walks; a graph beyond this is refused rather than half deleted. */
const MAX_DEPTH = 16;
const MAX_REFERRERS = 500;

export interface DeletePlan {
  root: Descriptor;
  /** The root's own subject when it is a referrer: its entry leaves that subject's fallback index. */
  rootSubject?: string;
  /** Every referrer below the root, deepest first (the order they are deleted in). */
  referrers: Descriptor[];
  /** Where each referrer was found: which subject, and through which fallback tag or API. */
  edges: GraphEdge[];
  /** Manifests listed as referrers of the root or of its referrers that are not: never deleted, only reported. */
  notReferrers: NotAReferrer[];
  /**
   * Subjects in the plan whose fallback index lists manifests that are not their referrers: that index does not
   * empty as referrers go, so its tag is removed when the subject is deleted with its referrers.
   */
  strayListings: string[];
  /** True when the walk stopped at its limits: deleting "with referrers" is then refused. */
  truncated: boolean;
}

/** Finds what deleting `root` concerns, without changing anything (for a confirmation that names it). */
export async function planDelete(target: Target, root: Descriptor, signal?: AbortSignal): Promise<DeletePlan> {
  const { manifest } = await target.fetchManifest(root, { signal });
  const graph = await buildJudgedGraph(target, root, { maxDepth: MAX_DEPTH, maxNodes: MAX_REFERRERS + 1, signal });
  const below = graph.nodes.filter((n) => n.descriptor.digest !== root.digest).sort((a, b) => b.depth - a.depth);
  return {
    root,
    rootSubject: manifest.subject?.digest,
    referrers: below.map((n) => n.descriptor),
    edges: graph.edges,
    notReferrers: graph.notReferrers,
    strayListings: [
      ...new Set(graph.notReferrers.filter((r) => r.source === 'fallback-tag').map((r) => r.listedUnder)),
    ],
    truncated: graph.nodes.some((n) => n.truncated),
  };
}

export interface DeleteOptions {
  /** Also delete every referrer in the plan (deepest first); otherwise they stay, without their subject. */
  withReferrers?: boolean;
  /**
   * The tags the root was found by (a delete by tag): each must still name it just before anything is deleted, and
   * again just before the root when its referrers went first (a CONFLICT then says how many went). A
   * registry deletes by digest, so a tag moved meanwhile (to an index holding the root, say) would lose its new
   * content's manifest; it is a CONFLICT naming the tag instead, and nothing is deleted. A tag gone since moves
   * nothing and does not stop the delete.
   */
  tags?: readonly string[];
  signal?: AbortSignal;
}

/** Deletes what the plan names and takes each deleted manifest out of the fallback index that listed it. */
export async function deleteArtifact(
  target: Target,
  plan: DeletePlan,
  options: DeleteOptions = {},
): Promise<{ deleted: Descriptor[] }> {
  const { signal } = options;
  if (options.withReferrers && plan.truncated) {
    throw new OciError(
      'CONFLICT',
      `${target.location}: ${plan.root.digest} has more referrers than Stowage deletes at once (over ${MAX_REFERRERS} or deeper than ${MAX_DEPTH}); nothing deleted`,
    );
  }
  await refuseIfTagsMoved(target, plan.root, options.tags ?? [], 'nothing was deleted', signal);
  const deleted: Descriptor[] = [];
  for (const referrer of options.withReferrers ? plan.referrers : []) {
    throwIfAborted(signal);
    await deleteIfPresent(target, referrer, signal);
    deleted.push(referrer);
    // Children went first, so a referrer's own fallback index is already gone; now leave its subject's.
    for (const edge of plan.edges) {
      if (edge.to === referrer.digest && edge.source === 'fallback-tag')
        await removeFromFallbackIndex(target, edge.from, referrer.digest, signal);
    }
  }
  throwIfAborted(signal);
  // Deleting the referrers took a request or more each, time enough for a tag to move: looked at again last thing.
  if (deleted.length)
    await refuseIfTagsMoved(
      target,
      plan.root,
      options.tags ?? [],
      `${counted(deleted.length, 'referrer')} of it ${deleted.length === 1 ? 'was' : 'were'} deleted, it was not`,
      signal,
    );
  await target.deleteManifest(plan.root, { signal });
  deleted.push(plan.root);
  if (plan.rootSubject) await removeFromFallbackIndex(target, plan.rootSubject, plan.root.digest, signal);
  // What still lists manifests that were not deleted: the subjects are gone, so are their fallback tags.
  for (const subject of options.withReferrers ? plan.strayListings : []) {
    throwIfAborted(signal);
    await retireFallbackTag(target, subject, signal);
  }
  return { deleted };
}

/**
 * A CONFLICT when one of `tags` (what `root` was found by) names another manifest than `root` now, or the store
 * cannot say; `then` tells what was deleted so far. A tag gone since moves nothing.
 */
async function refuseIfTagsMoved(
  target: Target,
  root: Descriptor,
  tags: readonly string[],
  then: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const short = (digest: string) => shortDigest(digest, { withAlgorithm: true });
  for (const tag of tags)
    await refuseIfRetagged(
      target,
      tag,
      root.digest,
      root.digest,
      true,
      signal,
      (now) =>
        new OciError(
          'CONFLICT',
          `tag ${printable(tag)} at ${target.location} names ${short(now)} now, not ${short(root.digest)} as when the delete was planned; ${then}`,
        ),
      then,
    );
}

/** A referrer listed in an index may already be gone (deleted elsewhere): its entry is still removed. */
async function deleteIfPresent(target: Target, descriptor: Descriptor, signal?: AbortSignal): Promise<void> {
  try {
    await target.deleteManifest(descriptor, { signal });
  } catch (err) {
    if (!OciError.is(err, 'NOT_FOUND')) throw err;
  }
}
