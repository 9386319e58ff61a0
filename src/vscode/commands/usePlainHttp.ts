// "Use Plain HTTP…": offered when a registry answers TLS in plain HTTP. Marks that one registry as plain HTTP,
// after a warning when traffic would leave the machine unencrypted.
import { isLoopbackHost } from '../../core/registry/registryConfig';
import { updateRegistry } from '../settings';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { hostOf } from './login';

export function usePlainHttp(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const host = await hostOf(ctx, node);
    if (!host) return false;
    if (!isLoopbackHost(host)) {
      const go = await ctx.prompts().confirm({
        message: `Talk plain HTTP to ${host}?`,
        detail: 'Everything pulled and pushed crosses the network unencrypted and unauthenticated. Credentials stay unsent unless the registry\'s setting allows them over HTTP.',
        action: 'Use Plain HTTP',
      });
      if (!go) return false;
    }
    await updateRegistry(host, (registry) => {
      registry.plainHttp = true;
    });
    return true;
  };
}
