// "Use HTTPS": offered when a registry set up as plain HTTP answers that it speaks only HTTPS. Drops that one
// registry's plainHttp, so it is reached over TLS (with its CA file, if one is set). Safer, so nothing to confirm.
import { updateRegistry } from '../settings';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { hostOf } from './login';

export function useHttps(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const host = await hostOf(ctx, node, 'Use HTTPS', {
      applies: (setting) => setting.plainHttp === true,
      noneApplies: 'No configured registry uses plain HTTP.',
    });
    if (!host) return false;
    await updateRegistry(host, (registry) => {
      delete registry.plainHttp;
    });
    return true;
  };
}
