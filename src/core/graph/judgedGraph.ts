// The referrer graph as a user sees it: a listing only claims that a manifest refers to a subject, so every listed
// referrer is judged (referrerSubject.ts) before it becomes a node; what was listed but refused comes with the graph,
// for the view to say so. Delete, discover, the graph panel and the tree all walk through here.
import type { Descriptor } from '../oci';
import type { ReadOnlyTarget } from '../content';
import { buildReferrerGraph, type ReferrerGraph, type ReferrerGraphOptions } from './referrerGraph';
import { type NotAReferrer, referrerJudge } from './referrerSubject';

export interface JudgedGraph extends ReferrerGraph {
  /** Listed manifests that are not referrers of what listed them (and not in the graph under another subject). */
  notReferrers: NotAReferrer[];
}

/**
 * Walks the referrers of `root` keeping only real referrers. `options.accept`, when given, is a cheaper filter (the
 * graph's type filter): it runs first, so that only the referrers it keeps cost a manifest read to judge.
 */
export async function buildJudgedGraph(
  target: ReadOnlyTarget,
  root: Descriptor,
  options: ReferrerGraphOptions = {},
): Promise<JudgedGraph> {
  const judge = referrerJudge(target, options.signal);
  const filter = options.accept;
  const graph = await buildReferrerGraph(target, root, {
    ...options,
    accept: async (subject, referrer) =>
      (!filter || (await filter(subject, referrer))) && judge.accept(subject, referrer),
  });
  // One manifest can be listed under a subject it does not name and under the one it does: it is no stray then.
  const inGraph = new Set(graph.nodes.map((n) => n.descriptor.digest));
  return { ...graph, notReferrers: judge.refused.filter((r) => !inGraph.has(r.digest)) };
}
