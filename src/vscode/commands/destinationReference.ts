// A destination typed as a reference ("host/repository:tag" or "oci:/path:tag"): checked with the engine's
// reference parser. Pure (unit-tested).
import { parseReference, storeOf, type StoreRef } from '../../core/oci';
import { sentence } from './sentence';

export interface TypedDestination {
  store: StoreRef;
  /** Absent when the reference names none: the tag is then asked for. */
  tag?: string;
}

/**
 * Why `text` is not a place to copy to, naming the input; undefined when it is one. `repositoryOnly`: several
 * artifacts are copied, each keeping its own tag, so a tag typed would be dropped unsaid: it is refused instead.
 */
export function destinationProblem(text: string, options: { repositoryOnly?: boolean } = {}): string | undefined {
  const input = text.trim();
  if (!input)
    return `Type a reference such as ${options.repositoryOnly ? 'registry.example.com/team/app' : 'registry.example.com/team/app:v1'}`;
  try {
    const ref = parseReference(input);
    if (ref.digest) return `"${input}" names a digest; a copy needs a tag at the destination (host/repository:tag)`;
    if (options.repositoryOnly && ref.tag !== undefined)
      return `"${input}" names a tag; each artifact keeps its own tag: name the repository or layout only`;
    return undefined;
  } catch (error) {
    return sentence((error as Error).message);
  }
}

/** The store and tag `text` names; call only when destinationProblem(text) is undefined. */
export function parseDestination(text: string): TypedDestination {
  const ref = parseReference(text.trim());
  const store = storeOf(ref);
  return ref.tag !== undefined ? { store, tag: ref.tag } : { store };
}
