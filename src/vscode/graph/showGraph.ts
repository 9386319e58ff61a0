// "OCI: Show Referrer Graph" on a tree node, on a `stowage:` document (its tab or the active editor), or from the
// palette with a typed reference.
import * as vscode from 'vscode';
import { parseStowageUri, STOWAGE_SCHEME } from '../documents/stowageUri';
import { pickArtifact, resolveManifest } from '../commands/pickers';
import { storeId } from '../../core/oci';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from '../supplyChain/SupplyChainContext';
import { type GraphPanel, referenceOf } from './GraphPanel';

export function showGraph(ctx: SupplyChainContext) {
  return async (arg?: TreeNode | vscode.Uri): Promise<GraphPanel | undefined> => {
    const node = isManifestNode(arg) ? arg : (documentNode(arg) ?? (await pickArtifact(ctx, 'Show Referrer Graph')));
    if (!node) return undefined;
    const { descriptor } = await resolveManifest(ctx, node);
    const reference = referenceOf(
      node.store,
      node.tag !== undefined ? { tag: node.tag } : { digest: descriptor.digest },
    );
    return ctx.graphs.show(node.store, descriptor, reference);
  };
}

/** The manifest a `stowage:` URI (given, or the active editor's) names. */
function documentNode(arg: unknown): ManifestNode | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== STOWAGE_SCHEME) return undefined;
  const ref = parseStowageUri(uri);
  if (ref.kind !== 'manifest') return undefined;
  return {
    type: 'manifest',
    id: `${storeId(ref.store)}/${ref.descriptor.digest}`,
    store: ref.store,
    descriptor: ref.descriptor,
  };
}
