// "Add Repository…": names a repository to show under a registry (the only way for registries without a catalog).
import { repositoryProblem } from '../../core/oci';
import { updateRegistry } from '../settings';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { sentence } from './sentence';
import { hostOf } from './login';

export function addRepository(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const host = node && 'host' in node && typeof node.host === 'string' ? node.host : await hostOf(ctx, node);
    if (!host) return undefined;
    const answer = await ctx.prompts().input({
      title: `Add Repository to ${host}`,
      prompt: 'Repository',
      placeHolder: 'team/app',
      validateInput: (v) => sentence(repositoryProblem(v.trim())),
    });
    const repository = answer?.trim();
    if (!repository) return undefined;
    await updateRegistry(host, (registry) => {
      registry.repositories = [...new Set([...(registry.repositories ?? []), repository])];
    });
    ctx.prompts().done(`Added ${host}/${repository} to the Registries view`);
    return repository;
  };
}
