// The graph's artifact-type filter, shared by the webview (which applies it at once to the graph it has) and the
// extension (which checks what the webview asks for): only referrers of the chosen types, at every level, as
// core/graph's `artifactTypes` walk does it, so the local answer and the rebuilt one agree.
import type { GraphView } from './messages';

/** At most this many types in one filter, each at most this long (a media type is at most 255 characters). */
export const MAX_FILTER_TYPES = 32;
export const MAX_FILTER_TYPE_LENGTH = 255;

/** The types typed into the filter box: separated by commas or spaces, each once, in the order typed. */
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
 * The root, and the referrers whose artifact type is one of `types` and that are reached from the root through
 * such referrers only; every node when `types` is empty.
 */
export function filterGraph(view: GraphView, types: readonly string[]): GraphView {
  if (types.length === 0) return view;
  const wanted = new Set(types);
  const matches = new Set(view.nodes.filter((n) => wanted.has(n.artifactType ?? '')).map((n) => n.digest));
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
