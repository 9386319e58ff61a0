// Drag and drop in the views: an artifact dropped on a registry, repository or layout is copied there; files from
// the Explorer dropped on a repository or layout are pushed as an artifact. Both go through the commands, so a
// drop asks and reports exactly as the menu does.
import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import { storeId, type StoreRef } from '../../core/oci';
import {
  isLayoutNode,
  isManifestNode,
  isRegistryNode,
  isRepositoryNode,
  type ManifestNode,
  type TreeNode,
} from './nodes';

import { DRAG_MIME_TYPES, DROP_MIME_TYPES, PLAIN_TEXT, TREE_MIME, URI_LIST } from './dragMimeTypes';

export { TREE_MIME };

export class ArtifactDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = DRAG_MIME_TYPES;
  readonly dropMimeTypes = DROP_MIME_TYPES;

  constructor(
    private readonly askRepositoryName: (host: string, suggestion: string) => Promise<string | undefined>,
    /** `repo:tag@sha256:…`, what an artifact dropped into an editor inserts (a tag resolved at the drag). */
    private readonly pinnedReference: (node: ManifestNode) => Promise<string>,
  ) {}

  async handleDrag(source: readonly TreeNode[], data: vscode.DataTransfer): Promise<void> {
    const artifacts = source.filter(isManifestNode);
    if (!artifacts.length) return;
    data.set(TREE_MIME, new vscode.DataTransferItem(artifacts));
    try {
      const pinned = await Promise.all(artifacts.map((artifact) => this.pinnedReference(artifact)));
      data.set(PLAIN_TEXT, new vscode.DataTransferItem(pinned.join('\n')));
    } catch {
      // Unreachable registry: the drag still copies between views; an editor gets nothing rather than a guess.
    }
  }

  async handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const artifacts = data.get(TREE_MIME)?.value as ManifestNode[] | undefined;
    if (artifacts?.length) {
      const copyTo = 'stowage.artifact.copyTo' satisfies CommandId;
      const stores = new Set(artifacts.map((artifact) => storeId(artifact.store)));
      // Rows of two repositories go nowhere together (two "latest" cannot both land): Copy To… says so, unasked.
      if (stores.size > 1) return void (await vscode.commands.executeCommand(copyTo, artifacts[0], artifacts));
      const destination = await this.destinationFor(target, artifacts[0]!);
      // Dropped back where they came from: nothing would change, so nothing is asked.
      if (!destination || stores.has(storeId(destination))) return;
      // Several rows move as Copy To… on a selection moves them: one referrers question, the tags that would move
      // asked about once, one progress, shared blobs once, one summary.
      if (artifacts.length > 1)
        return void (await vscode.commands.executeCommand(copyTo, artifacts[0], artifacts, { destination }));
      await vscode.commands.executeCommand(copyTo, artifacts[0], { destination, tag: artifacts[0]!.tag });
      return;
    }
    const uriList = await data.get(URI_LIST)?.asString();
    // A layout archive in the view is read-only: nothing is dropped into it.
    if (uriList && (isRepositoryNode(target) || (isLayoutNode(target) && !target.store.archive))) {
      const uris = parseUriList(uriList).filter((uri) => uri.scheme === 'file');
      if (uris.length)
        await vscode.commands.executeCommand('stowage.artifact.push' satisfies CommandId, uris[0], uris, {
          destination: target.store,
        });
    }
  }

  /** A repository or layout is the destination itself; on a registry the repository keeps its name unless changed. */
  private async destinationFor(target: TreeNode | undefined, first: ManifestNode): Promise<StoreRef | undefined> {
    if (isRepositoryNode(target) || (isLayoutNode(target) && !target.store.archive)) return target.store;
    if (isRegistryNode(target)) {
      const suggestion = first.store.kind === 'registry' ? first.store.repository : 'artifacts';
      const repository = await this.askRepositoryName(target.setting.host, suggestion);
      return repository ? { kind: 'registry', host: target.setting.host, repository } : undefined;
    }
    return undefined;
  }
}

export function parseUriList(text: string): vscode.Uri[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .flatMap((line) => {
      try {
        return [vscode.Uri.parse(line, true)];
      } catch {
        return [];
      }
    });
}
