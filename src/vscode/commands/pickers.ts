// The questions commands share when run from the palette: which registry, which store, which artifact.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type Descriptor,
  formatReference,
  parseReference,
  shortDigest,
  repositoryProblem,
  tagProblem,
  registryId,
  storeId,
  storeOf,
  type StoreRef,
} from '../../core/oci';
import type { Target } from '../../core/content';
import { describeHeld, LAYOUT_FILE, soleArtifactOf } from '../../core/layout';
import type { ManifestNode, RegistryNode } from '../tree/nodes';
import type { RegistrySetting } from '../settingsModel';
import type { CommandContext } from './CommandContext';
import { destinationProblem, parseDestination, type TypedDestination } from './destinationReference';
import { sentence } from './sentence';
import { askNewFolderName } from './newFolderName';

/** Which registries a command applies to, and what to say when none does. */
export interface RegistryFilter {
  applies: (setting: RegistrySetting) => boolean | Promise<boolean>;
  /** An info message shown instead of the picker when no configured registry applies. */
  noneApplies: string;
}

/** A configured registry; with `filter`, only those the command applies to (none: one info message, no picker). */
export async function pickRegistry(
  ctx: CommandContext,
  title: string,
  filter?: RegistryFilter,
): Promise<RegistryNode | undefined> {
  const configured = ctx.settings().registries;
  if (!configured.length) {
    await ctx.prompts().notify('info', 'No registries are configured. Use "Add Registry…" first.');
    return undefined;
  }
  const registries = filter
    ? (await Promise.all(configured.map(async (s) => ((await filter.applies(s)) ? [s] : [])))).flat()
    : configured;
  if (!registries.length) {
    await ctx.prompts().notify('info', filter!.noneApplies);
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

/** A place to write to: any registry repository or layout, a new repository in a configured registry, a folder. */
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
  options: {
    typedReference?: boolean;
    registriesOnly?: boolean;
    repositoryOnly?: boolean;
    /** A store not offered: where several artifacts come from (copied there under their own tags, nothing moves). */
    exclude?: StoreRef;
  } = {},
): Promise<TypedDestination | undefined> {
  const items: StoreItem[] = [];
  const known = new KnownStores(items, options.exclude);
  await known.addRepositories(ctx);
  for (const setting of ctx.settings().registries) {
    // Named as the view names the registry, its host beside the name.
    items.push({
      label: `Repository in ${setting.name ?? setting.host}…`,
      ...(setting.name ? { description: setting.host } : {}),
      newRepositoryIn: setting.host,
      iconPath: new vscode.ThemeIcon('add'),
    });
  }
  if (!options.registriesOnly) {
    await known.addLayouts(ctx);
    items.push({ label: 'Layout folder…', browseLayout: true, iconPath: new vscode.ThemeIcon('folder-opened') });
  }
  if (options.typedReference)
    items.push({
      iconPath: new vscode.ThemeIcon('edit'),
      label: 'Other registry or reference…',
      description: options.repositoryOnly ? 'host/repository, any registry' : 'host/repository:tag, any registry',
      typeReference: true,
    });

  const picked = await ctx.prompts().pick(items, {
    title,
    placeHolder: options.registriesOnly ? 'Destination repository' : 'Destination repository or layout',
  });
  if (!picked) return undefined;
  if (picked.store) return { store: picked.store };
  if (picked.newRepositoryIn) {
    const repository = await ctx.prompts().input({
      title,
      prompt: `Repository in ${picked.newRepositoryIn}`,
      placeHolder: 'team/app',
      validateInput: (v) => sentence(repositoryProblem(v.trim())),
    });
    return repository
      ? { store: { kind: 'registry', host: picked.newRepositoryIn, repository: repository.trim() } }
      : undefined;
  }
  if (picked.typeReference) {
    const text = await ctx.prompts().input({
      title,
      prompt: 'Destination reference',
      placeHolder: options.registriesOnly
        ? 'registry.example.com/team/app'
        : options.repositoryOnly
          ? 'registry.example.com/team/app or oci:/path/to/layout'
          : 'registry.example.com/team/app:v1 or oci:/path/to/layout:v1',
      validateInput: (value) => destinationProblem(value, { repositoryOnly: options.repositoryOnly }),
    });
    return text ? parseDestination(text) : undefined;
  }
  return browseLayout(ctx, title, true);
}

export interface SourceOptions {
  /** What is asked for, shown as the picker's placeholder ("Repository to back up"). */
  placeHolder: string;
  /** Layouts may be picked too (those in the view, or a folder); otherwise registry repositories only. */
  layouts?: boolean;
}

/**
 * A store to read from: the repositories the Registries view knows (pinned or listed), with `layouts` the
 * layouts of the Image Layouts view or a folder, or a typed repository on any registry. Nothing offered here
 * would create a store (no "Repository in <host>…"): a source has to exist.
 */
export async function pickSource(
  ctx: CommandContext,
  title: string,
  options: SourceOptions,
): Promise<StoreRef | undefined> {
  const items: StoreItem[] = [];
  const known = new KnownStores(items);
  await known.addRepositories(ctx);
  if (options.layouts) {
    await known.addLayouts(ctx);
    items.push({ label: 'Layout folder…', browseLayout: true, iconPath: new vscode.ThemeIcon('folder-opened') });
  }
  items.push({
    iconPath: new vscode.ThemeIcon('edit'),
    label: 'Type a repository…',
    description: options.layouts ? 'host/repository or oci:/path/to/layout' : 'host/repository, any registry',
    typeReference: true,
  });
  const picked = await ctx.prompts().pick(items, { title, placeHolder: options.placeHolder });
  if (!picked) return undefined;
  if (picked.store) return picked.store;
  if (picked.browseLayout) return (await browseLayout(ctx, title, false))?.store;
  const text = await ctx.prompts().input({
    title,
    prompt: options.placeHolder,
    placeHolder: options.layouts
      ? 'registry.example.com/team/app or oci:/path/to/layout'
      : 'registry.example.com/team/app',
    validateInput: (v) => sourceProblem(v, options.layouts === true),
  });
  return text ? storeOf(parseReference(text.trim())) : undefined;
}

/** Why `text` does not name a store to read from; undefined when it does. */
function sourceProblem(text: string, layouts: boolean): string | undefined {
  const input = text.trim();
  if (!input)
    return layouts
      ? 'Type a repository (host/repository) or a layout (oci:/path)'
      : 'Type a repository (host/repository)';
  try {
    const ref = parseReference(input);
    if (ref.kind === 'layout' && !layouts) return 'A registry repository (host/repository), not a layout';
    if (ref.tag !== undefined || ref.digest) return `"${input}" names an artifact; name the repository alone`;
    return undefined;
  } catch (error) {
    return sentence((error as Error).message);
  }
}

/** Items for the stores the views know, each once, with icons in iconPath (names are shown as plain text). */
class KnownStores {
  private readonly seen = new Set<string>();

  constructor(
    private readonly items: StoreItem[],
    exclude?: StoreRef,
  ) {
    if (exclude) this.seen.add(storeId(exclude));
  }

  /** Every configured registry's pinned and listed repositories (listed now where the view has not yet). */
  async addRepositories(ctx: CommandContext): Promise<void> {
    const settings = ctx.settings().registries;
    const listed = await Promise.all(settings.map((setting) => ctx.registries.repositoriesFor(setting)));
    settings.forEach((setting, i) => {
      for (const repository of [...(setting.repositories ?? []), ...listed[i]!])
        this.add({ kind: 'registry', host: setting.host, repository }, 'repo', repository, setting.host);
    });
  }

  async addLayouts(ctx: CommandContext): Promise<void> {
    for (const layout of await ctx.layouts.layoutPaths())
      this.add({ kind: 'layout', path: layout.path }, 'folder-library', path.basename(layout.path), layout.path);
  }

  private add(store: StoreRef, icon: string, label: string, description: string): void {
    if (this.seen.has(storeId(store))) return;
    this.seen.add(storeId(store));
    this.items.push({ label, description, store, iconPath: new vscode.ThemeIcon(icon) });
  }
}

/**
 * A layout folder chosen in the folder dialog. To write into, a folder that is neither a layout nor empty is not
 * taken as is without asking: a layout adds its files beside the folder's own, so a new folder inside it is offered
 * (the dialog cannot create one).
 */
async function browseLayout(
  ctx: CommandContext,
  title: string,
  forWriting: boolean,
): Promise<TypedDestination | undefined> {
  const folders = await ctx.prompts().openDialog({
    title,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use as Layout',
  });
  const chosen = folders?.[0]?.fsPath;
  if (!chosen) return undefined;
  if (!forWriting || (await isLayoutOrEmpty(chosen))) return { store: { kind: 'layout', path: chosen } };
  const choice = await ctx.prompts().choose({
    message: `${chosen} is not an image layout and holds other files.`,
    detail: 'An image layout adds oci-layout, index.json and blobs/ to its folder.',
    actions: [NEW_LAYOUT_FOLDER, USE_AS_IS],
  });
  if (choice === USE_AS_IS) return { store: { kind: 'layout', path: chosen } };
  if (choice !== NEW_LAYOUT_FOLDER) return undefined;
  const name = await askNewFolderName(ctx, title, chosen, 'layout', 'Name of the layout folder to create');
  return name === undefined ? undefined : { store: { kind: 'layout', path: path.join(chosen, name) } };
}

const NEW_LAYOUT_FOLDER = 'New Layout Folder in It…';
const USE_AS_IS = 'Make It a Layout';

async function isLayoutOrEmpty(folder: string): Promise<boolean> {
  try {
    const names = await fs.readdir(folder);
    return names.length === 0 || names.includes(LAYOUT_FILE);
  } catch {
    return true; // not there yet: the layout creates it
  }
}

interface ArtifactItem extends vscode.QuickPickItem {
  node?: ManifestNode;
}

/** How many selected artifacts the picker lists (a selection can be long). */
const MAX_SELECTED = 10;

/**
 * An artifact: one selected in the views (offered first, nothing fetched to list them), or named by a reference
 * the user types ("host/repo:tag", "oci:/path:tag"), as a manifest node. With nothing selected, the reference is
 * asked for at once.
 */
export async function pickArtifact(ctx: CommandContext, title: string): Promise<ManifestNode | undefined> {
  const selected = ctx.selectedArtifacts().slice(0, MAX_SELECTED);
  if (selected.length) {
    const items: ArtifactItem[] = [
      ...selected.map((node) => ({
        label: node.tag ?? (node.descriptor ? shortDigest(node.descriptor.digest) : node.id),
        description: formatReference(node.store),
        node,
        iconPath: new vscode.ThemeIcon(node.tag !== undefined ? 'tag' : 'package'),
      })),
      {
        label: 'Type a reference…',
        description: 'host/repository:tag or oci:/path:tag',
        iconPath: new vscode.ThemeIcon('edit'),
      },
    ];
    const picked = await ctx.prompts().pick(items, { title, placeHolder: 'Artifact (selected in the views)' });
    if (!picked) return undefined;
    if (picked.node) return picked.node;
  }
  return typedArtifact(ctx, title);
}

async function typedArtifact(ctx: CommandContext, title: string): Promise<ManifestNode | undefined> {
  const text = await ctx.prompts().input({
    title,
    prompt: 'Artifact reference',
    placeHolder: 'registry.example/team/app:v1 or oci:/path/to/layout:v1',
    validateInput: async (value) => {
      try {
        const ref = parseReference(value.trim());
        if (ref.tag || ref.digest) return undefined;
        // A layout or archive named bare stands for the one artifact it holds, as on the command line.
        const sole = ref.kind === 'layout' ? await soleArtifactOf(await ctx.stores.target(storeOf(ref))) : undefined;
        if (sole?.found) return undefined;
        return sole ? `Name a tag or a digest: it holds ${describeHeld(sole)}` : 'Name a tag or a digest';
      } catch (error) {
        return sentence((error as Error).message);
      }
    },
  });
  if (!text) return undefined;
  let ref = parseReference(text.trim());
  const store = storeOf(ref);
  if (!ref.tag && !ref.digest) {
    const sole = await soleArtifactOf(await ctx.stores.target(store));
    if (!sole?.found) return undefined;
    ref = sole.tag !== undefined ? { ...ref, tag: sole.tag } : { ...ref, digest: sole.digest };
  }
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

export interface TagQuestion {
  /** What the tag is for (default "Tag"). */
  prompt?: string;
  /** Pre-filled where a default makes sense: Push's "latest", Copy To's source tag. */
  value?: string;
  /** A tag the artifact has already: giving it again would change nothing. */
  existing?: string;
  /** An empty answer is allowed and means no tag (Push Manifest's push by digest): returned as "". */
  mayBeEmpty?: true;
}

/** The one tag question of Push, Copy To and Add Tag: same placeholder, same wording of problems. */
export async function askTag(
  ctx: CommandContext,
  title: string,
  question: TagQuestion = {},
): Promise<string | undefined> {
  const tag = await ctx.prompts().input({
    title,
    prompt: question.prompt ?? 'Tag',
    value: question.value,
    placeHolder: 'latest, v1.2.3, stable…',
    validateInput: (v) => (question.mayBeEmpty && !v.trim() ? undefined : tagInputProblem(v.trim(), question.existing)),
  });
  return tag?.trim();
}

/** Why `tag` cannot be given, as a sentence; undefined when it can. */
export function tagInputProblem(tag: string, existing?: string): string | undefined {
  if (!tag) return 'Type a tag: letters, digits, "_", "." and "-", starting with a letter, digit or "_"';
  if (tag === existing) return `The artifact is already tagged ${tag}: type another tag`;
  return sentence(tagProblem(tag));
}

/** What a message calls the artifact a node names: its tag where it has one (`host/repo:v1`), else its digest. */
export function artifactName(node: ManifestNode, digest: string): string {
  return formatReference({ ...node.store, ...(node.tag !== undefined ? { tag: node.tag } : { digest }) });
}
