// Verification results kept per store and digest, so the graph and the tree can show badges without
// verifying again; `onDidChange` names the store whose results changed.
import * as vscode from 'vscode';
import type { VerificationStatus } from '../../protocol/messages';
import { storeId, type StoreRef } from '../../core/oci';

export interface VerificationEntry {
  status: VerificationStatus;
  /** One line: who signed, or why it failed. */
  detail: string;
  /** What the row says instead of the status's word: a supply-chain verdict ("supply chain: missing SBOM"). */
  label?: string;
}

export class VerificationCache implements vscode.Disposable {
  private readonly entries = new Map<string, VerificationEntry>();
  private readonly changed = new vscode.EventEmitter<StoreRef>();
  readonly onDidChange = this.changed.event;

  get(store: StoreRef, digest: string): VerificationEntry | undefined {
    return this.entries.get(key(store, digest));
  }

  /** Records results for several digests of one store and fires once. */
  set(store: StoreRef, results: ReadonlyMap<string, VerificationEntry>): void {
    for (const [digest, entry] of results) this.entries.set(key(store, digest), entry);
    this.changed.fire(store);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function key(store: StoreRef, digest: string): string {
  return `${storeId(store)}|${digest}`;
}
