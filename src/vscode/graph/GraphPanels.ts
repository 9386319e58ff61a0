// The open referrer-graph panels, one per store and root: showing the same graph again reveals and reloads it.
import * as vscode from 'vscode';
import { type Descriptor, type Manifest, untrustedText, type StoreRef, storeId } from '../../core/oci';
import { graphTitle } from './graphTitle';
import { GRAPH_VIEW_TYPE, GraphPanel, panelKey, type GraphPanelDeps } from './GraphPanel';

export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();
  private last: GraphPanel | undefined;

  constructor(private readonly deps: GraphPanelDeps) {}

  /** `rootManifest`: the root's manifest when the caller has read it, so the panel need not read it again. */
  show(store: StoreRef, root: Descriptor, reference: string, rootManifest?: Manifest): GraphPanel {
    const existing = this.panels.get(panelKey(store, root.digest));
    if (existing) {
      existing.reveal();
      void existing.load();
      return (this.last = existing);
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      untrustedText(graphTitle(store, reference)),
      vscode.ViewColumn.Active,
      { retainContextWhenHidden: true },
    );
    const panel = new GraphPanel(webviewPanel, store, root, reference, this.deps, rootManifest);
    this.panels.set(panel.key, panel);
    panel.onDidDispose(() => {
      this.panels.delete(panel.key);
      if (this.last === panel) this.last = undefined;
    });
    return (this.last = panel);
  }

  /** The panel shown most recently (for the extension-host tests). */
  get current(): GraphPanel | undefined {
    return this.last;
  }

  /** Open panels whose graph contains `digest` of `store`. */
  showing(store: StoreRef, digest: string): GraphPanel[] {
    return [...this.panels.values()].filter(
      (p) =>
        storeId(p.store) === storeId(store) &&
        (p.root.digest === digest || p.graph?.nodes.some((n) => n.digest === digest)),
    );
  }

  /** Reloads every panel that shows content of `store` (after something was attached or deleted there). */
  reloadStore(store: StoreRef): Promise<void[]> {
    return Promise.all(
      [...this.panels.values()].filter((p) => storeId(p.store) === storeId(store)).map((p) => p.load()),
    );
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}
