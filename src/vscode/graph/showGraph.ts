// "Stowage: Show Referrer Graph" on a tree node, on a `stowage:` document (its tab or the active editor), or from the
// palette with a typed reference.
import * as vscode from 'vscode';
import { parseStowageUri, STOWAGE_SCHEME } from '../documents/stowageUri';
import { pickArtifact } from '../commands/pickers';
import { type Manifest, storeId } from '../../core/oci';
import { parseManifestBytes } from '../../core/content';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { SupplyChainContext } from '../supplyChain/SupplyChainContext';
import { type GraphPanel, referenceOf } from './GraphPanel';

export function showGraph(ctx: SupplyChainContext) {
  return async (arg?: TreeNode | vscode.Uri): Promise<GraphPanel | undefined> => {
    const opened = documentRoot(arg);
    const node = isManifestNode(arg) ? arg : (opened?.node ?? (await pickArtifact(ctx, 'Show Referrer Graph')));
    if (!node) return undefined;
    let descriptor = node.descriptor!;
    let manifest = opened?.manifest;
    if (node.tag !== undefined) {
      // The tag is resolved now (it may have moved) by reading its manifest: the graph's root is named from it,
      // so this one read stands in for both the resolve and the root's description.
      const fetched = await (await ctx.stores.target(node.store)).fetchManifest(node.tag);
      ({ descriptor, manifest } = fetched);
    }
    const reference = referenceOf(
      node.store,
      node.tag !== undefined ? { tag: node.tag } : { digest: descriptor.digest },
    );
    return ctx.graphs.show(node.store, descriptor, reference, manifest);
  };
}

/** The manifest a `stowage:` URI (given, or the active editor's) names, with its content when it is open. */
function documentRoot(arg: unknown): { node: ManifestNode; manifest?: Manifest } | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== STOWAGE_SCHEME) return undefined;
  const ref = parseStowageUri(uri);
  if (ref.kind !== 'manifest') return undefined;
  const node: ManifestNode = {
    type: 'manifest',
    id: `${storeId(ref.store)}/${ref.descriptor.digest}`,
    store: ref.store,
    descriptor: ref.descriptor,
  };
  const manifest = openManifest(uri);
  return manifest ? { node, manifest } : { node };
}

/**
 * The manifest of an open `stowage:` document: its text is the verified manifest, pretty-printed (read-only), so
 * the graph need not read it again. A summary in its place ("not valid UTF-8") is not a manifest: undefined.
 */
function openManifest(uri: vscode.Uri): Manifest | undefined {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!document) return undefined;
  try {
    return parseManifestBytes(Buffer.from(document.getText()), 'the open manifest');
  } catch {
    return undefined;
  }
}
