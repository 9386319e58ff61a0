// Token scopes (distribution token auth): "repository:<name>:<actions>" and "registry:catalog:*".

export type RepositoryAction = 'pull' | 'push' | 'delete';

export function repositoryScope(repository: string, actions: RepositoryAction[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';

interface ParsedScope {
  resource: string;
  actions: Set<string>;
}

function parseScope(scope: string): ParsedScope {
  const last = scope.lastIndexOf(':');
  if (last < 0) return { resource: scope, actions: new Set() };
  return {
    resource: scope.slice(0, last),
    actions: new Set(
      scope
        .slice(last + 1)
        .split(',')
        .filter(Boolean),
    ),
  };
}

/** Union of scope lists, merging actions per resource: ["repository:a:pull"] + ["repository:a:push"] → ["repository:a:pull,push"]. */
export function mergeScopes(...lists: string[][]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of lists.flat()) {
    const { resource, actions } = parseScope(scope);
    const known = byResource.get(resource) ?? new Set<string>();
    for (const action of actions) known.add(action);
    byResource.set(resource, known);
  }
  return [...byResource.entries()]
    .map(([resource, actions]) => `${resource}:${[...actions].sort(actionOrder).join(',')}`)
    .sort();
}

// pull before push before the rest, so scopes read the way registries print them.
function actionOrder(a: string, b: string): number {
  const rank = (x: string) => ['pull', 'push', 'delete'].indexOf(x) + 1 || 99;
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** A stable cache key for a scope set. */
export function scopeKey(scopes: string[]): string {
  return mergeScopes(scopes).join(' ');
}
