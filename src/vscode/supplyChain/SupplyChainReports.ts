// Where Check Supply Chain of All Tags… puts its report: a read-only plain-text document per repository or layout
// (its own scheme: nobody is asked to save it, no linter reads it), replaced when the same store is checked again
// and forgotten with the window (a report is a snapshot, not a file). The text comes escaped (auditLines).
import * as vscode from 'vscode';
import { formatReference, storeId, type StoreRef } from '../../core/oci';
import { Disposable } from '../lifecycle';

export const SUPPLY_CHAIN_REPORT_SCHEME = 'stowage-supply-chain';

export class SupplyChainReports extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly shown = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(SUPPLY_CHAIN_REPORT_SCHEME, this));
  }

  /** Publishes the report of `store` (replacing an earlier one); returns its URI. */
  publish(store: StoreRef, text: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: SUPPLY_CHAIN_REPORT_SCHEME,
      // The tab shows the store's name; the query keeps two stores of one name apart.
      path: `/supply-chain-${formatReference(store)
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .slice(-80)}.txt`,
      query: new URLSearchParams({ store: storeId(store) }).toString(),
    });
    this.shown.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.shown.get(uri.toString()) ??
      'This report is gone (reports last until the window closes): run Stowage: Check Supply Chain of All Tags… again.\n'
    );
  }
}
