// "Filter…" and "Clear Filter" on the Registries view. On a registry (or from the view's title, after picking
// one) the filter narrows its repositories; on a repository, its tags. A pattern without wildcards matches
// anywhere in the name; with `*`, `?` or `[…]` it is a glob (see tree/nameFilter.ts). Kept per registry in the
// extension's state (tree/RegistryFilters.ts); an empty answer clears it.
import { runSteps } from '../multiStep';
import { isRegistryNode, isRepositoryNode, type TreeNode } from '../tree/nodes';
import type { FilterScope } from '../tree/RegistryFilters';
import type { CommandContext } from './CommandContext';
import { pickRegistry } from './pickers';

export function filterRegistries(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string | undefined> => {
    const fromNode = node && scopeFromNode(node);
    let scope: FilterScope | undefined = fromNode;
    let answer: string | undefined;
    // From the view's title or the palette: the registry, then the pattern, numbered, with Back to the registry.
    const answered = await runSteps(ctx, [
      {
        questions: fromNode ? 0 : 1,
        ask: async (c) => {
          if (fromNode) return fromNode;
          const registry = await pickRegistry(c, 'Filter Repositories');
          return (scope = registry && { host: registry.setting.host });
        },
      },
      {
        ask: async (c) =>
          (answer = await c.prompts().input({
            title: scope!.repository
              ? `Filter Tags of ${scope!.host}/${scope!.repository}`
              : `Filter Repositories of ${scope!.host}`,
            prompt: 'Text the names contain, or a glob (* ? […], ** across /); empty clears the filter',
            placeHolder: scope!.repository ? 'v1.*' : 'team/*',
            value: ctx.registries.filters.get(scope!),
          })),
      },
    ]);
    if (!answered || !scope || answer === undefined) return undefined;
    await ctx.registries.filters.set(scope, answer);
    return answer.trim();
  };
}

export function clearRegistryFilter(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<void> => {
    // From the view's title (or the palette): every filter. From a node: the filter that narrows it.
    if (!node) return ctx.registries.filters.clear();
    const owner = node.type === 'action' ? ctx.registries.nodeById(node.ownerId) : node;
    const scope = owner && scopeFromNode(owner);
    if (scope) await ctx.registries.filters.set(scope, undefined);
  };
}

function scopeFromNode(node: TreeNode): FilterScope | undefined {
  if (isRegistryNode(node)) return { host: node.setting.host };
  if (isRepositoryNode(node)) return { host: node.store.host, repository: node.store.repository };
  return undefined;
}
