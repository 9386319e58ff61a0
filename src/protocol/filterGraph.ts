// The graph's artifact-type filter, shared by the webview (which applies it at once to the graph it has) and the
// extension (which checks what the webview asks for and walks the store with it): only referrers that match, at
// every level, by the one rule `matchesFilter`, so the local answer and the rebuilt one agree.
//
// A filter is a few words. A referrer matches a word that names its family as the tree groups them ("sbom",
// "signature", "attestation", singular or plural), or that is part of its artifact type or of its kind's name
// ("spdx", "notary", "application/spdx+json"), ignoring case.
import type { ArtifactFamily } from '../core/graph';
import type { GraphView } from './messages';

/** At most this many words in one filter, each at most this long (a media type is at most 255 characters). */
export const MAX_FILTER_TYPES = 32;
export const MAX_FILTER_TYPE_LENGTH = 255;

/** What a referrer is matched on: the facts the graph shows of it. */
export interface FilterFacts {
  artifactType?: string;
  /** The friendly name of its kind ("SPDX SBOM"). */
  kindLabel: string;
  family: ArtifactFamily;
}

/** The words that name a family (the tree's groups), each in the singular and the plural. */
const FAMILY_WORDS: Readonly<Record<string, ArtifactFamily>> = {
  signature: 'signature',
  signatures: 'signature',
  sbom: 'sbom',
  sboms: 'sbom',
  attestation: 'attestation',
  attestations: 'attestation',
};

/** The family words, for hints ("sbom, signature, attestation"). */
export const FILTER_FAMILY_WORDS: readonly string[] = ['sbom', 'signature', 'attestation'];

/** Whether a referrer with these facts matches one of `words` (every referrer matches no words). */
export function matchesFilter(words: readonly string[], facts: FilterFacts): boolean {
  if (words.length === 0) return true;
  const type = (facts.artifactType ?? '').toLowerCase();
  const label = facts.kindLabel.toLowerCase();
  return words.some((word) => {
    const w = word.toLowerCase();
    return FAMILY_WORDS[w] === facts.family || (type !== '' && type.includes(w)) || label.includes(w);
  });
}

/** The words typed into the filter box: separated by commas or spaces, each once, in the order typed. */
export function parseArtifactTypes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** Why a filter the webview sent is refused, or undefined. */
export function artifactTypesProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'artifactTypes is not a list';
  if (value.length > MAX_FILTER_TYPES) return `more than ${MAX_FILTER_TYPES} artifact types`;
  for (const type of value)
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_FILTER_TYPE_LENGTH || /[\s,]/.test(type))
      return 'an artifact type that is not one word of 1 to 255 characters';
  return undefined;
}

/**
 * The root, and the referrers that match `words` and are reached from the root through matching referrers only;
 * every node when `words` is empty.
 */
export function filterGraph(view: GraphView, words: readonly string[]): GraphView {
  if (words.length === 0) return view;
  const matches = new Set(view.nodes.filter((n) => matchesFilter(words, n)).map((n) => n.digest));
  const kept = new Set([view.root]);
  let frontier = [view.root];
  while (frontier.length) {
    const next: string[] = [];
    for (const edge of view.edges)
      if (frontier.includes(edge.from) && matches.has(edge.to) && !kept.has(edge.to)) {
        kept.add(edge.to);
        next.push(edge.to);
      }
    frontier = next;
  }
  return {
    ...view,
    nodes: view.nodes.filter((n) => kept.has(n.digest)),
    edges: view.edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
  };
}
