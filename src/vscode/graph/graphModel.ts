// Turns the engine's referrer graph into what the webview draws: kinds and labels decided here, every
// registry string passed through as data (the webview renders it as text).
import {
  ARTIFACT_KIND_LABELS,
  artifactFamilyOf,
  artifactKindOf,
  describeNotAReferrer,
  type JudgedGraph,
} from '../../core/graph';
import { type Descriptor, Annotation } from '../../core/oci';
import type { FilterFacts } from '../../protocol/filterGraph';
import type { GraphNodeView, GraphParts } from '../../protocol/messages';
import type { VerificationEntry } from '../supplyChain/VerificationCache';

export type VerificationLookup = (digest: string) => VerificationEntry | undefined;

export function toNodeView(
  descriptor: Descriptor,
  depth: number,
  truncated: boolean,
  verification: VerificationLookup,
): GraphNodeView {
  const kind = artifactKindOf(descriptor);
  const annotations = { ...(descriptor.annotations ?? {}) };
  const found = verification(descriptor.digest);
  return {
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    ...(descriptor.artifactType ? { artifactType: descriptor.artifactType } : {}),
    size: descriptor.size,
    kind,
    kindLabel: ARTIFACT_KIND_LABELS[kind],
    family: artifactFamilyOf(descriptor),
    ...(annotations[Annotation.created] ? { created: annotations[Annotation.created] } : {}),
    annotations,
    descriptorJson: JSON.stringify(descriptor, null, 2),
    depth,
    truncated,
    ...(found ? { verification: { status: found.status, detail: found.detail } } : {}),
  };
}

/** What the type filter matches a referrer on (the same facts its node view carries). */
export function filterFactsOf(descriptor: Descriptor): FilterFacts {
  const kind = artifactKindOf(descriptor);
  return {
    ...(descriptor.artifactType ? { artifactType: descriptor.artifactType } : {}),
    kindLabel: ARTIFACT_KIND_LABELS[kind],
    family: artifactFamilyOf(descriptor),
  };
}

/** The nodes and edges of `graph`, depths shifted by `baseDepth` (for a subgraph loaded under a node). */
export function toGraphParts(graph: JudgedGraph, verification: VerificationLookup, baseDepth = 0): GraphParts {
  return {
    nodes: graph.nodes.map((n) => toNodeView(n.descriptor, n.depth + baseDepth, n.truncated, verification)),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to, source: e.source, ...(e.tag ? { tag: e.tag } : {}) })),
    ...(graph.notReferrers.length
      ? { notReferrers: graph.notReferrers.map((r) => describeNotAReferrer(r, 'show')) }
      : {}),
  };
}
