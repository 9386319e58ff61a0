// "Log Out": removes Stowage's stored credentials for the registry (docker and podman files are not touched).
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { hostOf } from './login';

export function logout(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const host = await hostOf(ctx, node, 'Log Out', {
      applies: (setting) => ctx.secrets.has(setting.host),
      noneApplies:
        'No configured registry has a login stored by Stowage (Log Out leaves docker and podman logins alone).',
    });
    if (!host) return false;
    await ctx.secrets.delete(host);
    ctx.log.info(`Removed stored credentials for ${host}`);
    ctx.registries.credentialsChanged(host);
    return true;
  };
}
