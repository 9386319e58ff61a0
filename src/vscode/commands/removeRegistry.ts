// "Remove Registry": takes it out of `stowage.registries` (after a modal confirmation); its login stays until
// "Log Out", so adding it back needs no new login.
import { updateRegistries } from '../settings';
import { isRegistryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickRegistry } from './pickers';

export function removeRegistry(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const registry = isRegistryNode(node) ? node : await pickRegistry(ctx, 'Remove Registry');
    if (!registry) return false;
    const host = registry.setting.host;
    const confirmed = await ctx.prompts().confirm({
      message: `Remove ${host} from the Registries view?`,
      detail: 'Nothing in the registry is deleted. A stored login is kept until you log out.',
      action: 'Remove',
    });
    if (!confirmed) return false;
    await updateRegistries((registries) => registries.filter((r) => r.host !== host));
    return true;
  };
}
