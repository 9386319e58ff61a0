// What Check Referrers and Repair Referrers… act on: a whole repository or layout (a store node), or one artifact
// (a manifest node, its tag resolved now); from the palette, the user says which and names it.
import * as vscode from 'vscode';
import type { Target } from '../../core/content';
import { formatReference, type StoreRef } from '../../core/oci';
import type { CommandContext } from '../commands/CommandContext';
import { pickArtifact, pickSource, resolveManifest } from '../commands/pickers';
import { isLayoutNode, isManifestNode, isRepositoryNode, type ManifestNode, type TreeNode } from '../tree/nodes';

export interface ReferrersScope {
  store: StoreRef;
  target: Target;
  /** The artifact whose referrers are checked; undefined: every subject in the store. */
  subject?: string;
  /** The reference as the user knows it ("host/repo", "host/repo:v1", "oci:/path"). */
  label: string;
  /** A node standing for the same scope, with the tag resolved (the report's quick fix runs Repair on it). */
  node: TreeNode;
}

const WHOLE_STORE = 'Whole repository or layout…';
const ONE_ARTIFACT = 'One artifact (its referrers only)…';

export async function referrersScopeOf(
  ctx: CommandContext,
  node: TreeNode | undefined,
  title: string,
  verb: 'check' | 'repair',
  signal?: AbortSignal,
): Promise<ReferrersScope | undefined> {
  if (isRepositoryNode(node) || isLayoutNode(node)) return storeScope(ctx, node.store, node);
  if (isManifestNode(node)) return artifactScope(ctx, node, signal);
  const what = await ctx.prompts().pick(
    [
      { label: WHOLE_STORE, iconPath: new vscode.ThemeIcon('repo') },
      { label: ONE_ARTIFACT, iconPath: new vscode.ThemeIcon('package') },
    ],
    { title, placeHolder: `${verb === 'check' ? 'Check' : 'Repair'} the referrers of` },
  );
  if (!what) return undefined;
  if (what.label === WHOLE_STORE) {
    const store = await pickSource(ctx, title, {
      placeHolder: `Repository or layout whose referrers to ${verb}`,
      layouts: true,
    });
    return store && storeScope(ctx, store);
  }
  const artifact = await pickArtifact(ctx, title);
  return artifact && artifactScope(ctx, artifact, signal);
}

async function storeScope(ctx: CommandContext, store: StoreRef, node?: TreeNode): Promise<ReferrersScope> {
  const target = await ctx.stores.target(store);
  const label = formatReference(store);
  return {
    store,
    target,
    label,
    node:
      node ??
      (store.kind === 'registry'
        ? { type: 'repository', id: `referrers/${label}`, store }
        : { type: 'layout', id: `referrers/${label}`, store, fromSetting: false }),
  };
}

async function artifactScope(ctx: CommandContext, picked: ManifestNode, signal?: AbortSignal): Promise<ReferrersScope> {
  const { target, descriptor } = await resolveManifest(ctx, picked, signal);
  const label = formatReference({
    ...picked.store,
    ...(picked.tag !== undefined ? { tag: picked.tag } : { digest: descriptor.digest }),
  });
  const node: ManifestNode = {
    type: 'manifest',
    id: `referrers/${label}`,
    store: picked.store,
    descriptor: { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size },
  };
  return { store: picked.store, target, subject: descriptor.digest, label, node };
}
