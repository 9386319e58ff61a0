// The Image Layouts view: every folder in the workspace holding an `oci-layout` file (kept current by a file
// watcher) plus the `stowage.layouts` setting → refs → artifacts. A layout's index.json changing redraws that
// layout only.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StowageSettings } from '../settingsModel';
import type { Stores } from '../stores';
import { storeId, type StoreRef } from '../../core/oci';
import type { LayoutNode, TreeNode } from './nodes';
import { StoreTreeProvider } from './StoreTreeProvider';

const LAYOUT_FILE_GLOB = '**/oci-layout';
const MAX_FOUND_LAYOUTS = 500;

export class LayoutsProvider extends StoreTreeProvider {
  private found: Promise<string[]> | undefined;

  constructor(stores: Stores, settings: () => StowageSettings) {
    super(stores, settings);
    const layoutFiles = this.register(vscode.workspace.createFileSystemWatcher(LAYOUT_FILE_GLOB));
    const rescan = () => {
      this.found = undefined;
      this.fire(undefined);
    };
    this.register(layoutFiles.onDidCreate(rescan));
    this.register(layoutFiles.onDidDelete(rescan));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(rescan));
    const indexFiles = this.register(vscode.workspace.createFileSystemWatcher('**/index.json'));
    const indexChanged = (uri: vscode.Uri) => {
      const node = this.nodeById(storeId({ kind: 'layout', path: path.dirname(uri.fsPath) }));
      if (node) this.refresh(node);
    };
    this.register(indexFiles.onDidChange(indexChanged));
    this.register(indexFiles.onDidCreate(indexChanged));
  }

  /** Layout folders in the view: the setting's first, then those found in the workspace. */
  async layoutPaths(): Promise<{ path: string; fromSetting: boolean }[]> {
    this.found ??= Promise.resolve(
      vscode.workspace.findFiles(LAYOUT_FILE_GLOB, '**/node_modules/**', MAX_FOUND_LAYOUTS),
    ).then((uris) =>
      // Layouts are read from disk: folders of a virtual workspace (no file: URI) hold none Stowage can open.
      uris
        .filter((uri) => uri.scheme === 'file')
        .map((uri) => path.dirname(uri.fsPath))
        .sort(),
    );
    const configured = this.settings().layouts.map((p) => resolveLayoutPath(p));
    const seen = new Set(configured);
    const found = (await this.found!).filter((p) => !seen.has(p));
    // The Explorer offers Validate Layout on these folders only.
    void vscode.commands.executeCommand('setContext', 'stowage.layoutFolders', [...configured, ...found]);
    return [
      ...configured.map((p) => ({ path: p, fromSetting: true })),
      ...found.map((p) => ({ path: p, fromSetting: false })),
    ];
  }

  protected async roots(): Promise<TreeNode[]> {
    return (await this.layoutPaths()).map(({ path: p, fromSetting }): LayoutNode => {
      const store = { kind: 'layout' as const, path: p };
      return { type: 'layout', id: storeId(store), store, fromSetting };
    });
  }

  protected ownChildren(node: TreeNode, _signal: AbortSignal): Promise<TreeNode[]> | undefined {
    return node.type === 'layout' ? this.tagNodes(node, node.store) : undefined;
  }

  /** Refreshing the whole view also looks for layouts afresh, in case a file event was missed. */
  override refresh(node?: TreeNode): void {
    if (!node) this.found = undefined;
    super.refresh(node);
  }

  protected refreshParentOf(_store: StoreRef): void {
    this.refresh();
  }

  /** The settings changed: the configured layouts may differ. */
  settingsChanged(): void {
    this.refresh();
  }
}

/** Relative paths in the setting are relative to the first workspace folder; "~" is the home folder. */
export function resolveLayoutPath(p: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE ?? '';
  const expanded = p.startsWith('~/') && home ? path.join(home, p.slice(2)) : p;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.resolve(base ?? '', expanded);
}
