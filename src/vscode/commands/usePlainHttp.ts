// "Use Plain HTTP…": offered when a registry answers TLS in plain HTTP. Marks that one registry as plain HTTP,
// after a warning when traffic would leave the machine unencrypted.
import { isLoopbackHost } from '../../core/registry';
import { readSettings, updateRegistry } from '../settings';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { hostOf } from './login';
import { plainHttpWarning } from './plainHttpWarning';

export function usePlainHttp(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const host = await hostOf(ctx, node, 'Use Plain HTTP', {
      applies: (setting) => setting.plainHttp !== true,
      noneApplies: 'Every configured registry already uses plain HTTP.',
    });
    if (!host) return false;
    if (!isLoopbackHost(host)) {
      const allowed = readSettings().registries.find((r) => r.host === host)?.allowCredentialsOverHttp === true;
      const go = await ctx.prompts().confirm({ ...plainHttpWarning(host, allowed), action: 'Use Plain HTTP' });
      if (!go) return false;
    }
    await updateRegistry(host, (registry) => {
      registry.plainHttp = true;
    });
    return true;
  };
}
