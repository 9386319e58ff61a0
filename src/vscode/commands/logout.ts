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
    // Said, not only redrawn: a screen reader user hears nothing of a tree row that changes out of sight.
    void ctx
      .prompts()
      .notify('info', `Logged out of ${host}: the login Stowage stored is removed (docker and podman logins stay).`);
    return true;
  };
}
