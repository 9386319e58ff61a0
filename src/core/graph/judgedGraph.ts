// The referrer graph as a user sees it: a listing only claims that a manifest refers to a subject, so every listed
// referrer is judged (referrerSubject.ts) before it becomes a node; what was listed but refused comes with the graph,
// for the view to say so. Delete, discover, the graph panel and the tree all walk through here.
import type { Descriptor } from '../oci';
import type { ReadOnlyTarget } from '../content';
import {
  buildReferrerGraph,
  DEFAULT_GRAPH_NODES,
  type ReferrerGraph,
  type ReferrerGraphOptions,
} from './referrerGraph';
import type { Referrer } from './referrers';
import { type NotAReferrer, referrerJudge } from './referrerSubject';

export interface JudgedGraph extends ReferrerGraph {
  /** Listed manifests that are not referrers of what listed them (and not in the graph under another subject). */
  notReferrers: NotAReferrer[];
}

export interface JudgedGraphOptions extends ReferrerGraphOptions {
  /** Where listed manifests are read to judge them (default: `target`): the tree passes its shared reads. */
  judgeReads?: ReadOnlyTarget;
  /** False: cosign tags are taken as named, for a caller that checks their content itself (see referrerJudge). */
  cosignTagsByContent?: boolean;
}

/**
 * Walks the referrers of `root` keeping only real referrers. `options.accept`, when given, is a cheaper filter (the
 * graph's type filter): it runs first, so that only the referrers it keeps cost a manifest read to judge.
 */
export async function buildJudgedGraph(
  target: ReadOnlyTarget,
  root: Descriptor,
  options: JudgedGraphOptions = {},
): Promise<JudgedGraph> {
  const reads = options.judgeReads ?? target;
  const judge = referrerJudge(reads, options.signal, undefined, options.cosignTagsByContent);
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

/** The true referrers of `subject` (its own, not theirs), judged as the graph is: within `maxReferrers` reads. */
export interface JudgedReferrers {
  referrers: Referrer[];
  notReferrers: NotAReferrer[];
  /** More were listed than MAX_REFERRERS_READ: those beyond were not read, so not shown. */
  truncated: boolean;
}

/** Referrers of one subject read at most (the graph's node limit, less the subject): what the tree and verify show. */
export const MAX_REFERRERS_READ = DEFAULT_GRAPH_NODES - 1;

/** One level of the judged graph, as a list: a hostile listing of thousands costs at most MAX_REFERRERS_READ reads. */
export async function judgedReferrers(
  target: ReadOnlyTarget,
  subject: Descriptor,
  options: Pick<JudgedGraphOptions, 'judgeReads' | 'cosignTagsByContent' | 'accept' | 'signal'> & {
    /** Referrers read at most (default MAX_REFERRERS_READ); more listed sets `truncated`. */
    maxReferrers?: number;
  } = {},
): Promise<JudgedReferrers> {
  const graph = await buildJudgedGraph(target, subject, {
    maxDepth: 1,
    maxNodes: (options.maxReferrers ?? MAX_REFERRERS_READ) + 1,
    judgeReads: options.judgeReads,
    cosignTagsByContent: options.cosignTagsByContent,
    accept: options.accept,
    signal: options.signal,
  });
  const nodes = new Map(graph.nodes.map((n) => [n.descriptor.digest, n]));
  return {
    referrers: graph.edges
      .filter((e) => e.from === subject.digest)
      .map((e) => ({ descriptor: nodes.get(e.to)!.descriptor, source: e.source, ...(e.tag ? { tag: e.tag } : {}) })),
    notReferrers: graph.notReferrers,
    truncated: nodes.get(subject.digest)!.truncated,
  };
}
