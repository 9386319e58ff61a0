// "Remove Repository": takes a pinned repository out of its registry's setting `repositories` (after a modal
// confirmation). Nothing in the registry changes; a repository the registry itself lists stays listed.
import { updateRegistry } from '../settings';
import { isRepositoryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickRegistry } from './pickers';

export function removeRepository(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const target = isRepositoryNode(node) ? node.store : await pickPinned(ctx);
    if (!target) return false;
    const { host, repository } = target;
    const confirmed = await ctx.prompts().confirm({
      message: `Remove ${host}/${repository} from the Registries view?`,
      detail: 'Only the pinned entry in the settings goes; nothing in the registry is deleted.',
      action: 'Remove',
    });
    if (!confirmed) return false;
    await updateRegistry(host, (registry) => {
      const left = (registry.repositories ?? []).filter((r) => r !== repository);
      if (left.length) registry.repositories = left;
      else delete registry.repositories;
    });
    ctx.prompts().done(`Removed ${host}/${repository} from the Registries view`);
    return true;
  };
}

async function pickPinned(ctx: CommandContext): Promise<{ host: string; repository: string } | undefined> {
  const registry = await pickRegistry(ctx, 'Remove Repository', {
    applies: (setting) => (setting.repositories ?? []).length > 0,
    noneApplies: 'No configured registry has pinned repositories (setting "repositories") to remove.',
  });
  if (!registry) return undefined;
  const pinned = registry.setting.repositories ?? [];
  const picked = await ctx.prompts().pick(
    pinned.map((label) => ({ label })),
    { title: 'Remove Repository', placeHolder: 'Repository' },
  );
  return picked && { host: registry.setting.host, repository: picked.label };
}
