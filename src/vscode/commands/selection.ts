// What a tree command acts on: VS Code passes the row clicked and, from a context menu on a selection of several
// rows, every selected row. A command that read only the first would leave the others out unsaid.
import { storeId } from '../../core/oci';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { shownReference } from '../shownReference';

/** The selected artifacts when the row clicked is one of several selected; otherwise the row clicked alone. */
export function selectedArtifacts(node: TreeNode | undefined, selected: unknown): ManifestNode[] {
  const many = Array.isArray(selected) ? selected.filter(isManifestNode) : [];
  if (!isManifestNode(node)) return [];
  return many.length > 1 && many.includes(node) ? many : [node];
}

/**
 * True when every artifact is in one repository or layout; otherwise says so and is false. Several artifacts go
 * to one place by their tags: two repositories' "latest" cannot both be "latest" there, and which one wins is not
 * Stowage's to guess.
 */
export function fromOneStore(ctx: CommandContext, command: string, nodes: readonly ManifestNode[]): boolean {
  const stores = [...new Map(nodes.map((n) => [storeId(n.store), n.store])).values()];
  if (stores.length <= 1) return true;
  void ctx
    .prompts()
    .notify(
      'warning',
      `${command} takes several artifacts from one repository or layout at a time; the selection spans ${stores.length}: ${stores.map((s) => shownReference(s)).join(', ')}.`,
    );
  return false;
}
