// What the supply-chain commands share on top of every command's context: the open graphs and the
// verification results, the signing key made last.
import type { SavedSigningKey } from '../../core/supplyChain';
import type { CommandContext } from '../commands/CommandContext';
import type { GraphPanels } from '../graph/GraphPanels';
import type { SupplyChainReports } from './SupplyChainReports';
import type { VerificationCache } from './VerificationCache';

export interface SupplyChainContext extends CommandContext {
  graphs: GraphPanels;
  verification: VerificationCache;
  supplyChainReports: SupplyChainReports;
  signingKeys: { lastCreated?: SavedSigningKey };
}
