// Where an artifact is stored: one registry repository or one layout folder. A StoreRef is a Reference without
// tag or digest, so every StoreRef is also a valid Reference (openTarget takes either).
import type { Reference } from './reference';

export type StoreRef = RegistryStoreRef | LayoutStoreRef;
export interface RegistryStoreRef {
  kind: 'registry';
  host: string;
  repository: string;
}
export interface LayoutStoreRef {
  kind: 'layout';
  path: string;
}

/** The store a reference points into (its tag and digest dropped). */
export function storeOf(reference: Reference): StoreRef {
  return reference.kind === 'layout'
    ? { kind: 'layout', path: reference.path }
    : { kind: 'registry', host: reference.host, repository: reference.repository };
}

/** The identity of a registry; the ids of its stores start with it. */
export function registryId(host: string): string {
  return `registry:${host}`;
}

/** The identity of a store: equal for two StoreRefs exactly when they name the same store. */
export function storeId(store: StoreRef): string {
  return store.kind === 'registry' ? `${registryId(store.host)}/${store.repository}` : `layout:${store.path}`;
}
