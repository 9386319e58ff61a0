// Tree nodes are plain data: what a node stands for, never how it is drawn or fetched. Ids are paths from the
// root so that VS Code keeps expansion state across refreshes.
import type { Descriptor, LayoutStoreRef, Platform, RegistryStoreRef, StoreRef } from '../../core/oci';
import type { ArtifactFamily, Referrer } from '../../core/graph';
import type { LayerEntry } from '../../core/files';
import type { NextStep } from '../errorAdvice';
import type { RegistrySetting } from '../settingsModel';

export interface RegistryNode {
  type: 'registry';
  id: string;
  setting: RegistrySetting;
}

export interface RepositoryNode {
  type: 'repository';
  id: string;
  store: RegistryStoreRef;
  /** Listed in the registry's setting `repositories` (Remove Repository takes it out). */
  pinned?: boolean;
}

export interface LayoutNode {
  type: 'layout';
  id: string;
  store: LayoutStoreRef;
  /** Listed in `stowage.layouts` (can be removed) rather than found in the workspace. */
  fromSetting: boolean;
}

/** A manifest or index: named by a tag, or reached through its parent (platform entry, referrer). */
export interface ManifestNode {
  type: 'manifest';
  id: string;
  store: StoreRef;
  /** Set for nodes that stand for a tag; the descriptor is then resolved when expanded. */
  tag?: string;
  descriptor?: Descriptor;
  platform?: Platform;
  /** For referrer nodes: how the referrer was found, and the digest of the manifest it refers to. */
  referrer?: Referrer;
  subject?: string;
}

export type BlobRole = 'config' | 'layer';

export interface BlobNode {
  type: 'blob';
  id: string;
  store: StoreRef;
  descriptor: Descriptor;
  role: BlobRole;
  index: number;
  /** How many layers the manifest lists (a layer is "layer index+1 of count"). */
  count?: number;
}

/** A file, folder or link inside a tar layer, listed without pulling (core/files/layerContents.ts). */
export interface LayerEntryNode {
  type: 'layerEntry';
  id: string;
  store: StoreRef;
  /** The layer the entry is in. */
  layer: Descriptor;
  entry: LayerEntry;
  /** The layer lists entries below this file's path too: a folder row of the same name shows them. */
  sharesPathWithFolder?: boolean;
}

/** Referrer groups in the tree are the artifact families of core/graph's one classifier. */
export type ReferrerKind = ArtifactFamily;

export interface ReferrerGroupNode {
  type: 'referrers';
  id: string;
  store: StoreRef;
  subject: Descriptor;
  kind: ReferrerKind;
  referrers: Referrer[];
}

/** Continues a paged list (catalog, tags) that belongs to the node with id `ownerId`. */
export interface LoadMoreNode {
  type: 'loadMore';
  id: string;
  ownerId: string;
}

/** A failure in place of the children it prevented, with the one action that may fix it. */
export interface ErrorNode {
  type: 'error';
  id: string;
  message: string;
  /** The node whose children failed (Retry refreshes it; Log In… targets its registry). */
  ownerId: string;
  host?: string;
  step: NextStep;
  stepLabel: string;
}

/** A row that runs a command ("Add Repository…" where the registry has no catalog). */
export interface ActionNode {
  type: 'action';
  id: string;
  label: string;
  command: string;
  ownerId: string;
  host?: string;
  /** A codicon name (default "add"). */
  icon?: string;
  /** What the command acts on (default: this row). */
  subjectNode?: TreeNode;
  /** Plain text, untrusted. */
  tooltip?: string;
}

export type TreeNode =
  | RegistryNode
  | RepositoryNode
  | LayoutNode
  | ManifestNode
  | BlobNode
  | LayerEntryNode
  | ReferrerGroupNode
  | LoadMoreNode
  | ErrorNode
  | ActionNode;

export const isRegistryNode = (n: unknown): n is RegistryNode => isNode(n) && n.type === 'registry';
export const isRepositoryNode = (n: unknown): n is RepositoryNode => isNode(n) && n.type === 'repository';
export const isLayoutNode = (n: unknown): n is LayoutNode => isNode(n) && n.type === 'layout';
export const isManifestNode = (n: unknown): n is ManifestNode => isNode(n) && n.type === 'manifest';
export const isBlobNode = (n: unknown): n is BlobNode => isNode(n) && n.type === 'blob';
export const isLayerEntryNode = (n: unknown): n is LayerEntryNode => isNode(n) && n.type === 'layerEntry';
export const isLoadMoreNode = (n: unknown): n is LoadMoreNode => isNode(n) && n.type === 'loadMore';
export const isErrorNode = (n: unknown): n is ErrorNode => isNode(n) && n.type === 'error';

/** Nodes that stand for a store a copy or push can go to. */
export const isStoreNode = (n: unknown): n is RepositoryNode | LayoutNode => isRepositoryNode(n) || isLayoutNode(n);

export function isNode(n: unknown): n is TreeNode {
  return (
    typeof n === 'object' &&
    n !== null &&
    typeof (n as { type?: unknown }).type === 'string' &&
    typeof (n as { id?: unknown }).id === 'string'
  );
}
