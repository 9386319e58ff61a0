// The supply-chain part of the extension: the open referrer graphs and the verification results that the
// attach, sign, verify and graph commands share (the commands themselves are in the one command table).
import type * as vscode from 'vscode';
import type { SavedSigningKey } from '../../core/supplyChain';
import type { CommandContext } from '../commands/CommandContext';
import { GraphPanels } from '../graph/GraphPanels';
import { SupplyChainReports } from './SupplyChainReports';
import { VerificationCache } from './VerificationCache';

export interface SupplyChain {
  graphs: GraphPanels;
  /** Verification results by store and digest, with a change event (for tree badges). */
  verification: VerificationCache;
  /** The reports of Check Supply Chain of All Tags…, as read-only documents. */
  supplyChainReports: SupplyChainReports;
  /** The key Create Signing Key… made last in this window: where Attach Signature…'s key dialog opens. */
  signingKeys: { lastCreated?: SavedSigningKey };
}

export function createSupplyChain(context: vscode.ExtensionContext, deps: CommandContext): SupplyChain {
  const verification = new VerificationCache();
  const supplyChainReports = new SupplyChainReports();
  const graphs = new GraphPanels({
    extensionUri: context.extensionUri,
    target: (store) => deps.stores.target(store),
    verification,
    log: deps.log,
  });
  context.subscriptions.push(
    verification,
    supplyChainReports,
    graphs,
    deps.storeChanges.event((store) => void graphs.reloadStore(store)),
  );
  return { graphs, verification, supplyChainReports, signingKeys: {} };
}
