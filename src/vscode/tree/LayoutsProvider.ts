// The Image Layouts view: every folder in the workspace holding an `oci-layout` file (kept current by a file
// watcher) plus the `stowage.layouts` setting → refs → artifacts. A layout's index.json changing redraws that
// layout only. Layout archives found in the workspace (`*.tar` with an `oci-layout` entry, told by their headers
// alone) are listed after the folders and browsed the same way, read-only.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StowageSettings } from '../settingsModel';
import type { Stores } from '../stores';
import { storeId, type StoreRef } from '../../core/oci';
import { archiveOfStagingFolder, isLayoutArchive } from '../../core/layout';
import type { LayoutNode, TreeNode } from './nodes';
import { StoreTreeProvider } from './StoreTreeProvider';
import { CreatedLayoutFolders } from './createdLayoutFolders';
import type { CommandId } from '../commandIds';

const LAYOUT_FILE_GLOB = '**/oci-layout';
const MAX_FOUND_LAYOUTS = 500;
const ARCHIVE_GLOB = '**/*.tar';
/** Tar files looked into for an oci-layout entry (each costs a few header reads). */
const MAX_FOUND_ARCHIVES = 200;

/** How long a search of the workspace for layouts is trusted without a file event (one search is a few ms). */
const RESEARCH_AFTER_MS = 5000;

export class LayoutsProvider extends StoreTreeProvider {
  protected readonly refreshCommand = 'stowage.layouts.refresh' satisfies CommandId;
  private found: Promise<string[]> | undefined;
  private foundArchives: Promise<string[]> | undefined;
  /** When the workspace was last searched for layouts and archives. */
  private searchedAt = 0;
  /** The layouts and archives the view last listed and every folder above them: a deletion of one takes a layout. */
  private shownAndAbove = new Set<string>();
  private refreshQueued = false;

  constructor(stores: Stores, settings: () => StowageSettings) {
    super(stores, settings);
    const layoutFiles = this.register(vscode.workspace.createFileSystemWatcher(LAYOUT_FILE_GLOB));
    const rescan = () => {
      this.found = undefined;
      this.foundArchives = undefined;
      this.fire(undefined);
    };
    const archives = this.register(vscode.workspace.createFileSystemWatcher(ARCHIVE_GLOB));
    this.register(archives.onDidCreate(rescan));
    this.register(archives.onDidDelete(rescan));
    this.register(
      archives.onDidChange((uri) => {
        const node = this.nodeById(storeId({ kind: 'layout', path: uri.fsPath, archive: true }));
        if (node) this.refresh(node);
      }),
    );
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
    this.register(indexFiles.onDidDelete(indexChanged));
    // A folder moved or deleted (mv, rm -rf) is reported as that folder alone, never as the oci-layout inside it:
    // every deletion is matched against the layouts shown, and one that takes a layout with it redraws the view;
    // a created folder not shown yet is looked into for an oci-layout (createdLayoutFolders.ts).
    const folders = this.register(vscode.workspace.createFileSystemWatcher('**/*', false, true, false));
    this.register(
      folders.onDidDelete((uri) => {
        if (this.shownAndAbove.has(uri.fsPath)) this.queueRefresh();
      }),
    );
    const created = new CreatedLayoutFolders(() => this.queueRefresh());
    this.register(
      folders.onDidCreate((uri) => {
        if (uri.scheme === 'file' && !this.shownAndAbove.has(uri.fsPath)) created.created(uri.fsPath);
      }),
    );
  }

  /** One refresh for a burst of events (a tree deleted is reported path by path on some systems). */
  private queueRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    queueMicrotask(() => {
      this.refreshQueued = false;
      if (!this.isDisposed) this.refresh();
    });
  }

  /** Layout folders in the view: the setting's first, then those found in the workspace. */
  async layoutPaths(): Promise<{ path: string; fromSetting: boolean }[]> {
    this.forgetStaleSearch();
    this.found ??= Promise.resolve(
      vscode.workspace.findFiles(LAYOUT_FILE_GLOB, '**/node_modules/**', MAX_FOUND_LAYOUTS),
    ).then((uris) =>
      // Layouts are read from disk: folders of a virtual workspace (no file: URI) hold none Stowage can open.
      // An archive's staging folder (a stopped backup's work, kept for the rerun that resumes it) is part of the
      // archive, not a layout of its own: writing into it by hand would spoil that rerun.
      uris
        .filter((uri) => uri.scheme === 'file')
        .map((uri) => path.dirname(uri.fsPath))
        .filter((folder) => archiveOfStagingFolder(folder) === undefined)
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

  /** Layout archives in the workspace: `*.tar` files whose headers include an oci-layout entry. */
  async archivePaths(): Promise<string[]> {
    this.forgetStaleSearch();
    this.foundArchives ??= Promise.resolve(
      vscode.workspace.findFiles(ARCHIVE_GLOB, '**/node_modules/**', MAX_FOUND_ARCHIVES),
    ).then(async (uris) => {
      const files = uris.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
      const layouts = await Promise.all(files.map(async (f) => ((await isLayoutArchive(f)) ? f : undefined)));
      return layouts.filter((f): f is string => f !== undefined).sort();
    });
    return this.foundArchives;
  }

  protected async roots(): Promise<TreeNode[]> {
    const folders = (await this.layoutPaths()).map(({ path: p, fromSetting }): LayoutNode => {
      const store = { kind: 'layout' as const, path: p };
      return { type: 'layout', id: storeId(store), store, fromSetting };
    });
    const archives = (await this.archivePaths()).map((p): LayoutNode => {
      const store = { kind: 'layout' as const, path: p, archive: true as const };
      return { type: 'layout', id: storeId(store), store, fromSetting: false };
    });
    this.shownAndAbove = withFoldersAbove([...folders, ...archives].map((node) => node.store.path));
    return [...folders, ...archives];
  }

  protected ownChildren(node: TreeNode, _signal: AbortSignal): Promise<TreeNode[]> | undefined {
    return node.type === 'layout' ? this.tagNodes(node, node.store) : undefined;
  }

  /**
   * File events can be missed (a busy machine, network or container file systems, watcher limits): when the view
   * asks for its layouts again, a search older than RESEARCH_AFTER_MS is made again rather than trusted.
   */
  private forgetStaleSearch(): void {
    const now = Date.now();
    if (now - this.searchedAt < RESEARCH_AFTER_MS) return;
    this.searchedAt = now;
    this.found = undefined;
    this.foundArchives = undefined;
  }

  /** Refreshing the whole view also looks for layouts afresh, in case a file event was missed. */
  override refresh(node?: TreeNode): void {
    if (!node) {
      this.found = undefined;
      this.foundArchives = undefined;
    }
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

/** The paths and every folder holding them (one lookup per deletion event, however many files a tool removes). */
function withFoldersAbove(paths: readonly string[]): Set<string> {
  const all = new Set<string>();
  for (let p of paths)
    for (; !all.has(p); p = path.dirname(p)) {
      all.add(p);
      if (path.dirname(p) === p) break;
    }
  return all;
}

/** Relative paths in the setting are relative to the first workspace folder; "~" is the home folder. */
export function resolveLayoutPath(p: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE ?? '';
  const expanded = p.startsWith('~/') && home ? path.join(home, p.slice(2)) : p;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.resolve(base ?? '', expanded);
}
