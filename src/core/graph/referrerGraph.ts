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
  signal?: AbortSignal;
}

/** Walks referrers breadth first from `root`, each node once, up to the depth and node limits. */
/** How many nodes a graph holds unless told otherwise: what the editor draws, and what one artifact lists in the tree. */
export const DEFAULT_GRAPH_NODES = 500;

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
  // Only as many listed referrers as the node limit leaves room for are ever judged, over the whole walk: one that
  // is refused keeps its place in the budget (a listing of thousands, at every level of a chain of true referrers,
  // costs no more reads than the graph can show); a subject with more is marked truncated.
  let room = maxNodes - 1;
  const readType = artifactTypeReader(target, options.signal);
  const candidates = new Set<string>();

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
              // Entries that name no type are read (to learn it) only within the node limit, below.
              deferTypes: true,
              signal: options.signal,
            }),
          ] as const,
      ),
    );
    const considered = listed.map(([subject, referrers]) => {
      const within = referrers.filter((referrer) => {
        const digest = referrer.descriptor.digest;
        if (nodes.has(digest) || candidates.has(digest)) return true;
        if (room <= 0) return false;
        room--;
        candidates.add(digest);
        return true;
      });
      if (within.length < referrers.length) nodes.get(subject)!.truncated = true;
      return [subject, within] as const;
    });
    const kept = await Promise.all(
      considered.map(
        async ([subject, referrers]) =>
          [
            subject,
            await accepted(
              subject,
              await completeArtifactTypes(referrers, options.artifactTypes ?? [], readType),
              options.accept,
            ),
          ] as const,
      ),
    );
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
