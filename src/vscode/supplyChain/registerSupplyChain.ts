// The supply-chain part of the extension: the referrer graph and the attach, sign, verify commands, registered
// through the one command table with the extension's error handler.
import type * as vscode from 'vscode';
import type { CommandContext } from '../commands/CommandContext';
import { GraphPanels } from '../graph/GraphPanels';
import { showGraph } from '../graph/showGraph';
import { registerCommands, type CommandErrorHandler } from '../registerCommands';
import { attachFile } from './attachFile';
import { attachSbom } from './attachSbom';
import { attachSignature } from './attachSignature';
import { createSigningKey } from './createSigningKey';
import type { SupplyChainContext } from './SupplyChainContext';
import { VerificationCache } from './VerificationCache';
import { verifySignatures } from './verifySignatures';

export interface SupplyChain {
  graphs: GraphPanels;
  /** Verification results by store and digest, with a change event (for tree badges). */
  verification: VerificationCache;
}

export function registerSupplyChain(
  context: vscode.ExtensionContext,
  deps: CommandContext & { onError?: CommandErrorHandler },
): SupplyChain {
  const verification = new VerificationCache();
  const graphs = new GraphPanels({
    extensionUri: context.extensionUri,
    target: (store) => deps.stores.target(store),
    verification,
    log: deps.log,
  });
  context.subscriptions.push(verification, graphs);
  const ctx: SupplyChainContext = { ...deps, graphs, verification };
  registerCommands(
    context,
    {
      'stowage.graph.show': showGraph(ctx),
      'stowage.artifact.attachSbom': attachSbom(ctx),
      'stowage.artifact.attachSignature': attachSignature(ctx),
      'stowage.artifact.attachFile': attachFile(ctx),
      'stowage.artifact.verify': verifySignatures(ctx),
      'stowage.signing.createKey': createSigningKey(ctx),
    },
    deps.onError,
  );
  return { graphs, verification };
}
