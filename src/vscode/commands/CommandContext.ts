// What every command gets: the stores, the views to refresh, the prompts to ask with, settings and secrets.
import type * as vscode from 'vscode';
import type { Prompts } from '../prompts';
import type { SecretCredentials } from '../secrets';
import type { StowageSettings } from '../settingsModel';
import type { Stores } from '../stores';
import type { LayoutsProvider } from '../tree/LayoutsProvider';
import type { ManifestNode } from '../tree/nodes';
import type { StoreRef } from '../../core/oci';
import type { RegistriesProvider } from '../tree/RegistriesProvider';

export interface CommandContext {
  stores: Stores;
  settings: () => StowageSettings;
  prompts: () => Prompts;
  secrets: SecretCredentials;
  registries: RegistriesProvider;
  layouts: LayoutsProvider;
  log: vscode.LogOutputChannel;
  /** The artifacts (manifest nodes) selected in the Registries and Image Layouts views now: known without a request. */
  selectedArtifacts: () => ManifestNode[];
  /** Fired by refreshStore: what else shows a store's content (the referrer graphs) listens, as the views are told. */
  storeChanges: vscode.EventEmitter<StoreRef>;
}

/**
 * After a command changed `store`: redraws the view node that shows it (and only that), and tells the rest (open
 * referrer graphs reload, so a deleted artifact's graph no longer shows its referrers as if nothing happened).
 */
export function refreshStore(ctx: CommandContext, store: StoreRef): void {
  if (store.kind === 'registry') ctx.registries.refreshStore(store);
  else ctx.layouts.refreshStore(store);
  ctx.storeChanges.fire(store);
}
