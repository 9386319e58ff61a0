// A graph node's actions are the same commands the tree offers, run on a manifest node built for it.
import type { NodeAction } from '../../protocol/messages';
import type { CommandId } from '../commandIds';

export const NODE_ACTION_COMMANDS: Readonly<Record<NodeAction, CommandId>> = {
  openManifest: 'stowage.manifest.open',
  pull: 'stowage.artifact.pull',
  copyReference: 'stowage.artifact.copyReference',
  attachSbom: 'stowage.artifact.attachSbom',
  attachSignature: 'stowage.artifact.attachSignature',
  attachFile: 'stowage.artifact.attachFile',
  verify: 'stowage.artifact.verify',
  delete: 'stowage.artifact.delete',
  showGraph: 'stowage.graph.show',
};

/** Actions after which the graph may have changed and is loaded again. */
export const CHANGING_ACTIONS: ReadonlySet<NodeAction> = new Set([
  'attachSbom',
  'attachSignature',
  'attachFile',
  'delete',
]);
