// The questions commands share when run from the palette: which registry, which store, which artifact.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type Descriptor,
  parseReference,
  repositoryProblem,
  tagProblem,
  registryId,
  storeId,
  storeOf,
  type StoreRef,
} from '../../core/oci';
import type { Target } from '../../core/content';
import type { ManifestNode, RegistryNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { destinationProblem, parseDestination, type TypedDestination } from './destinationReference';

export async function pickRegistry(ctx: CommandContext, title: string): Promise<RegistryNode | undefined> {
  const registries = ctx.settings().registries;
  if (!registries.length) {
    await ctx.prompts().notify('info', 'No registries are configured. Use "Add Registry…" first.');
    return undefined;
  }
  const picked = await ctx.prompts().pick(
    registries.map((setting) => ({
      label: setting.name ?? setting.host,
      description: setting.name ? setting.host : undefined,
      setting,
    })),
    { title, placeHolder: 'Registry' },
  );
  return picked && { type: 'registry', id: registryId(picked.setting.host), setting: picked.setting };
}

interface StoreItem extends vscode.QuickPickItem {
  store?: StoreRef;
  /** Asks for a repository name in this registry. */
  newRepositoryIn?: string;
  browseLayout?: boolean;
  /** Asks for a full reference, on any registry (configured or not) or layout. */
  typeReference?: boolean;
}

/** Any registry repository or layout: those in the views, a new repository in a configured registry, a folder. */
export async function pickStore(ctx: CommandContext, title: string): Promise<StoreRef | undefined> {
  return (await pickDestination(ctx, title))?.store;
}

/**
 * Like pickStore; with `typedReference`, also "Other registry or reference…", which takes any reference (a
 * registry nobody configured included) and may name the tag too.
 */
export async function pickDestination(
  ctx: CommandContext,
  title: string,
  options: { typedReference?: boolean } = {},
): Promise<TypedDestination | undefined> {
  const items: StoreItem[] = [];
  const seen = new Set<string>();
  // Icons go in iconPath: item texts (names from registries and folders) are shown without icon syntax.
  const add = (store: StoreRef, icon: string, label: string, description: string) => {
    if (seen.has(storeId(store))) return;
    seen.add(storeId(store));
    items.push({ label, description, store, iconPath: new vscode.ThemeIcon(icon) });
  };
  for (const setting of ctx.settings().registries) {
    for (const repository of setting.repositories ?? [])
      add({ kind: 'registry', host: setting.host, repository }, 'repo', repository, setting.host);
    for (const repository of ctx.registries.listedRepositories(setting.host))
      add({ kind: 'registry', host: setting.host, repository }, 'repo', repository, setting.host);
    items.push({
      label: `Repository in ${setting.host}…`,
      newRepositoryIn: setting.host,
      iconPath: new vscode.ThemeIcon('add'),
    });
  }
  for (const layout of await ctx.layouts.layoutPaths())
    add({ kind: 'layout', path: layout.path }, 'folder-library', path.basename(layout.path), layout.path);
  items.push({ label: 'Layout folder…', browseLayout: true, iconPath: new vscode.ThemeIcon('folder-opened') });
  if (options.typedReference)
    items.push({
      iconPath: new vscode.ThemeIcon('edit'),
      label: 'Other registry or reference…',
      description: 'host/repository:tag, any registry',
      typeReference: true,
    });

  const picked = await ctx.prompts().pick(items, { title, placeHolder: 'Destination repository or layout' });
  if (!picked) return undefined;
  if (picked.store) return { store: picked.store };
  if (picked.newRepositoryIn) {
    const repository = await ctx.prompts().input({
      title,
      prompt: `Repository in ${picked.newRepositoryIn}`,
      placeHolder: 'team/app',
      validateInput: (v) => repositoryProblem(v.trim()),
    });
    return repository
      ? { store: { kind: 'registry', host: picked.newRepositoryIn, repository: repository.trim() } }
      : undefined;
  }
  if (picked.typeReference) {
    const text = await ctx.prompts().input({
      title,
      prompt: 'Destination reference',
      placeHolder: 'registry.example.com/team/app:v1 or oci:/path/to/layout:v1',
      validateInput: destinationProblem,
    });
    return text ? parseDestination(text) : undefined;
  }
  const folders = await ctx.prompts().openDialog({
    title,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use as Layout',
  });
  return folders?.[0] ? { store: { kind: 'layout', path: folders[0].fsPath } } : undefined;
}

/** An artifact named by a reference the user types ("host/repo:tag", "oci:/path:tag"), as a manifest node. */
export async function pickArtifact(ctx: CommandContext, title: string): Promise<ManifestNode | undefined> {
  const text = await ctx.prompts().input({
    title,
    prompt: 'Artifact reference',
    placeHolder: 'registry.example/team/app:v1 or oci:/path/to/layout:v1',
    validateInput: (value) => {
      try {
        const ref = parseReference(value.trim());
        return ref.tag || ref.digest ? undefined : 'Name a tag or a digest';
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  if (!text) return undefined;
  const ref = parseReference(text.trim());
  const store = storeOf(ref);
  const node: ManifestNode = { type: 'manifest', id: `${storeId(store)}/${ref.digest ?? `tag:${ref.tag}`}`, store };
  if (ref.digest) node.descriptor = await (await ctx.stores.target(store)).resolve(ref.digest);
  else node.tag = ref.tag;
  return node;
}

/** The descriptor a manifest node stands for, resolving its tag now (it may have moved). */
export async function resolveManifest(
  ctx: CommandContext,
  node: ManifestNode,
  signal?: AbortSignal,
): Promise<{ target: Target; descriptor: Descriptor }> {
  const target = await ctx.stores.target(node.store);
  const descriptor = node.tag !== undefined ? await target.resolve(node.tag, { signal }) : node.descriptor!;
  return { target, descriptor };
}

export async function askTag(ctx: CommandContext, title: string, value?: string): Promise<string | undefined> {
  const tag = await ctx
    .prompts()
    .input({ title, prompt: 'Tag', value, placeHolder: 'v1', validateInput: (v) => tagProblem(v.trim()) });
  return tag?.trim();
}
