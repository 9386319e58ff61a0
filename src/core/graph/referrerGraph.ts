// The referrer graph of an artifact: its referrers, their referrers, and so on, with the source of every edge.
// The webview and `stowage discover` are views over this model.
import { type Descriptor, throwIfAborted } from '../oci';
import {
  artifactTypeReader,
  completeArtifactTypes,
  listReferrers,
  type ListReferrersOptions,
  type Referrer,
  type ReferrerSource,
} from './referrers';
import type { ReadOnlyTarget } from '../content';

export interface GraphNode {
  descriptor: Descriptor;
  /** Distance from the root (0 for the root). */
  depth: number;
  /** True when the node has referrers that were not walked (depth or node limit reached). */
  truncated: boolean;
}

export interface GraphEdge {
  /** The subject's digest. */
  from: string;
  /** The referrer's digest. */
  to: string;
  source: ReferrerSource;
  tag?: string;
}

export interface ReferrerGraph {
  root: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ReferrerGraphOptions {
  maxDepth?: number;
  maxNodes?: number;
  /** Only referrers of these types, at every level (asked of the API where it filters; filtered locally too). */
  artifactTypes?: readonly string[];
  /** Referrers from one place only (see ListReferrersOptions.only). */
  only?: ListReferrersOptions['only'];
  /** Keeps only the listed referrers this accepts (see referrerSubject.ts); the others are neither nodes nor edges. */
  accept?: (subject: string, referrer: Referrer) => Promise<boolean>;
  /** Listed referrers judged at most over the walk, accepted or not (default JUDGED_PER_NODE × maxNodes). */
  maxJudged?: number;
  signal?: AbortSignal;
}

/** Walks referrers breadth first from `root`, each node once, up to the depth and node limits. */
/** How many nodes a graph holds unless told otherwise: what the editor draws, and what one artifact lists in the tree. */
export const DEFAULT_GRAPH_NODES = 500;

/** Listed referrers judged (one read each) per place in the graph: room for four refused entries per true one. */
export const JUDGED_PER_NODE = 4;

export async function buildReferrerGraph(
  target: ReadOnlyTarget,
  root: Descriptor,
  options: ReferrerGraphOptions = {},
): Promise<ReferrerGraph> {
  const maxDepth = options.maxDepth ?? 8;
  const maxNodes = options.maxNodes ?? DEFAULT_GRAPH_NODES;
  const nodes = new Map<string, GraphNode>([[root.digest, { descriptor: root, depth: 0, truncated: false }]]);
  const edges: GraphEdge[] = [];
  let frontier = [root.digest];
  // Listed referrers are judged (options.accept) before they take a place: one refused (another artifact's manifest
  // in a forged fallback index, a digest that names nothing) never takes a node, so true referrers listed after a
  // thousand forged ones still show. Judging costs a read each: at most `maxJudged` over the whole walk. A subject
  // whose listing was not judged to its end (no room, no reads left) is marked truncated.
  let room = maxNodes - 1;
  let reads = options.maxJudged ?? JUDGED_PER_NODE * maxNodes;
  const readType = artifactTypeReader(target, options.signal);

  for (let depth = 0; frontier.length > 0; depth++) {
    throwIfAborted(options.signal);
    if (depth >= maxDepth) {
      for (const digest of frontier) nodes.get(digest)!.truncated = true;
      break;
    }
    const listed = await Promise.all(
      frontier.map(
        async (digest) =>
          [
            digest,
            await listReferrers(target, digest, {
              artifactTypes: options.artifactTypes,
              only: options.only,
              // Entries that name no type are read (to learn it) only within the budgets, below.
              deferTypes: true,
              signal: options.signal,
            }),
          ] as const,
      ),
    );
    // Accepted at this level, not nodes yet: listed again under another subject, they take no second place.
    const placed = new Set<string>();
    const kept: (readonly [string, Referrer[]])[] = [];
    for (const [subject, referrers] of listed) {
      const keptHere: Referrer[] = [];
      let at = 0;
      while (at < referrers.length) {
        throwIfAborted(options.signal);
        const batch: Referrer[] = [];
        let fresh = 0;
        while (at < referrers.length) {
          const digest = referrers[at]!.descriptor.digest;
          const known = nodes.has(digest) || placed.has(digest);
          if (!known && fresh >= Math.min(room, reads)) break;
          if (!known) fresh++;
          batch.push(referrers[at++]!);
        }
        if (!batch.length) break;
        reads -= fresh;
        const judged = await accepted(
          subject,
          await completeArtifactTypes(batch, options.artifactTypes ?? [], readType),
          options.accept,
        );
        for (const referrer of judged) {
          const digest = referrer.descriptor.digest;
          if (!nodes.has(digest) && !placed.has(digest)) {
            placed.add(digest);
            room--;
          }
          keptHere.push(referrer);
        }
      }
      if (at < referrers.length) nodes.get(subject)!.truncated = true;
      kept.push([subject, keptHere]);
    }
    const next: string[] = [];
    for (const [subject, referrers] of kept) {
      for (const referrer of referrers) {
        const digest = referrer.descriptor.digest;
        if (!nodes.has(digest)) {
          nodes.set(digest, { descriptor: referrer.descriptor, depth: depth + 1, truncated: false });
          next.push(digest);
        }
        edges.push({
          from: subject,
          to: digest,
          source: referrer.source,
          ...(referrer.tag ? { tag: referrer.tag } : {}),
        });
      }
    }
    frontier = next;
  }
  return { root: root.digest, nodes: [...nodes.values()], edges };
}

async function accepted(
  subject: string,
  referrers: Referrer[],
  accept: ReferrerGraphOptions['accept'],
): Promise<Referrer[]> {
  if (!accept) return referrers;
  const verdicts = await Promise.all(referrers.map((r) => accept(subject, r)));
  return referrers.filter((_, i) => verdicts[i]);
}
