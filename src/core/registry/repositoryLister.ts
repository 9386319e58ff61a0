// How a registry's repositories are listed, chosen by host: Docker Hub and ghcr.io have no catalog, so their
// repositories come from the namespaces the user names, through the operator's web API (namespaceRepositories.ts);
// every other registry lists its `_catalog`.
import { listRepositories } from './catalog';
import { listNamespaceRepositories, namespaceApiOf, type NamespaceApiBases } from './namespaceRepositories';
import type { RegistryClient } from './RegistryClient';

export interface RepositoryListOptions {
  pageSize?: number;
  signal?: AbortSignal;
  /** For the catalog, which is sorted: start after this name (the spec's `last`). Namespace APIs ignore it. */
  startAfter?: string;
}

export interface RepositoryLister {
  /** 'catalog' lists in lexical order; 'namespaces' in the API's own order. */
  kind: 'catalog' | 'namespaces';
  list(options?: RepositoryListOptions): AsyncGenerator<string[]>;
}

/**
 * The lister for `client`'s registry, or undefined when there is nothing to list: a registry without a catalog
 * whose namespaces the user has not named.
 */
export function repositoryLister(
  client: RegistryClient,
  options: { namespaces?: readonly string[]; bases?: Partial<NamespaceApiBases> } = {},
): RepositoryLister | undefined {
  if (!namespaceApiOf(client.host)) {
    return { kind: 'catalog', list: (o = {}) => listRepositories(client, o) };
  }
  const namespaces = [...new Set(options.namespaces ?? [])];
  if (!namespaces.length) return undefined;
  return {
    kind: 'namespaces',
    async *list({ pageSize, signal } = {}) {
      for (const namespace of namespaces)
        yield* listNamespaceRepositories(client, namespace, { pageSize, signal, bases: options.bases });
    },
  };
}
