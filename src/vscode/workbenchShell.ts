// What the light part of the extension registers at activation in place of the workbench: tree providers, drag
// and drop and `stowage:` documents that load the workbench bundle the first time they are asked for something,
// then hand every call to the real ones. VS Code needs these registered at activation; the work behind them can
// wait until the user opens a Stowage view or document.
import * as vscode from 'vscode';
import { STOWAGE_SCHEME } from './documents/stowageUri';
import type { LayoutValidationResults } from './lint/validateLayoutCommand';
import type { TreeNode } from './tree/nodes';
import { DRAG_MIME_TYPES, DROP_MIME_TYPES } from './tree/dragMimeTypes';

/** The part of a tree provider the views call. */
export interface ViewProvider extends vscode.TreeDataProvider<TreeNode> {
  getParent(node: TreeNode): TreeNode | undefined;
}

/** A view's provider until the workbench attaches the real one (which fires the view's changes from then on). */
export class DeferredTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private real?: ViewProvider;
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => Promise<unknown>) {}

  attach(real: ViewProvider): vscode.Disposable {
    this.real = real;
    const forwarding = real.onDidChangeTreeData?.((node) => this.changed.fire(node ?? undefined));
    this.changed.fire(undefined);
    return vscode.Disposable.from(this.changed, ...(forwarding ? [forwarding] : []));
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!this.real) await this.load();
    return (await this.real!.getChildren(node)) ?? [];
  }

  // Nodes exist only once getChildren ran, so the real provider is there for every node VS Code asks about.
  getTreeItem(node: TreeNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.real!.getTreeItem(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.real?.getParent(node);
  }

  resolveTreeItem(
    item: vscode.TreeItem,
    node: TreeNode,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.TreeItem> {
    return this.real?.resolveTreeItem ? this.real.resolveTreeItem(item, node, token) : item;
  }
}

/** Drag and drop until the workbench attaches its controller (a drag starts from nodes, so it is there by then). */
export class DeferredDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = DRAG_MIME_TYPES;
  readonly dropMimeTypes = DROP_MIME_TYPES;
  private real?: vscode.TreeDragAndDropController<TreeNode>;

  constructor(private readonly load: () => Promise<unknown>) {}

  attach(real: vscode.TreeDragAndDropController<TreeNode>): void {
    this.real = real;
  }

  async handleDrag(source: readonly TreeNode[], data: vscode.DataTransfer, token: vscode.CancellationToken) {
    if (!this.real) await this.load();
    return this.real!.handleDrag?.(source, data, token);
  }

  async handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer, token: vscode.CancellationToken) {
    if (!this.real) await this.load();
    return this.real!.handleDrop?.(target, data, token);
  }
}

/** What the workbench gets from the light part: the log, the linter's results and the registered views. */
export interface WorkbenchShell {
  log: vscode.LogOutputChannel;
  layoutValidation: LayoutValidationResults;
  registriesView: vscode.TreeView<TreeNode>;
  layoutsView: vscode.TreeView<TreeNode>;
  registriesTree: DeferredTreeProvider;
  layoutsTree: DeferredTreeProvider;
  dragAndDrop: DeferredDragAndDrop;
}

/** `stowage:` documents and their digest links, answered by the workbench's StowageDocuments once loaded. */
export function registerDeferredDocuments(
  load: () => Promise<vscode.TextDocumentContentProvider & vscode.DocumentLinkProvider>,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(STOWAGE_SCHEME, {
      provideTextDocumentContent: async (uri, token) => (await load()).provideTextDocumentContent(uri, token),
    }),
    vscode.languages.registerDocumentLinkProvider(
      { scheme: STOWAGE_SCHEME },
      { provideDocumentLinks: async (document, token) => (await load()).provideDocumentLinks(document, token) },
    ),
  );
}
