// The pinned reference of an artifact in the tree: "host/repo:tag@sha256:…" (a tag resolved now: it may have
// moved), what Copy Pinned Reference copies and what dragging an artifact into an editor inserts.
import { formatReference } from '../../core/oci';
import type { Stores } from '../stores';
import type { ManifestNode } from '../tree/nodes';

export async function pinnedReferenceOf(stores: Stores, node: ManifestNode, signal?: AbortSignal): Promise<string> {
  const digest =
    node.tag !== undefined
      ? (await (await stores.target(node.store)).resolve(node.tag, { signal })).digest
      : node.descriptor!.digest;
  return formatReference({ ...node.store, tag: node.tag, digest });
}
