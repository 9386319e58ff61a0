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
  /** A layout in a tar file (`oci-archive:`), not a folder. */
  archive?: true;
}

/** The store a reference points into (its tag and digest dropped). */
export function storeOf(reference: Reference): StoreRef {
  if (reference.kind === 'registry')
    return { kind: 'registry', host: reference.host, repository: reference.repository };
  return reference.archive
    ? { kind: 'layout', path: reference.path, archive: true }
    : { kind: 'layout', path: reference.path };
}

/** The identity of a registry; the ids of its stores start with it. */
export function registryId(host: string): string {
  return `registry:${host}`;
}

/** The identity of a store: equal for two StoreRefs exactly when they name the same store. */
export function storeId(store: StoreRef): string {
  if (store.kind === 'registry') return `${registryId(store.host)}/${store.repository}`;
  return `${store.archive ? 'archive' : 'layout'}:${store.path}`;
}
