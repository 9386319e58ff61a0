// References Stowage puts on the clipboard or into an editor: "host/repo:tag@sha256:…" (a tag resolved now: it may
// have moved), what Copy Pinned Reference copies and what dragging an artifact into an editor inserts. A tag or
// digest is checked first: a layout may name a manifest with anything and a manifest may list any digest, and a
// line break pasted into a shell runs what follows it.
import { assertDigest, formatReference, OciError, printable, type StoreRef, tagProblem } from '../../core/oci';
import type { Stores } from '../stores';
import type { ManifestNode } from '../tree/nodes';

export async function pinnedReferenceOf(stores: Stores, node: ManifestNode, signal?: AbortSignal): Promise<string> {
  const digest =
    node.tag !== undefined
      ? (await (await stores.target(node.store)).resolve(node.tag, { signal })).digest
      : node.descriptor!.digest;
  return checkedReference(node.store, { tag: node.tag, digest });
}

/** The reference to `store` with `tag` and/or `digest`, refused when either is not one. */
export function checkedReference(store: StoreRef, named: { tag?: string; digest?: string } = {}): string {
  const { tag, digest } = named;
  const problem = tag === undefined ? undefined : tagProblem(tag);
  if (problem) throw new OciError('INVALID_REFERENCE', `Not copied: ${printable(problem)}`);
  if (digest !== undefined) assertDigest(digest);
  return formatReference({ ...store, tag, digest });
}
