// What Pull Artifact… does for one artifact and for several selected: read its manifest in a progress, pick an
// index's platform, name a Helm chart's files, tell whether anything would be written, pull with the user's leave
// to replace a Flux artifact's differing files, and show the result in the Explorer.
import * as vscode from 'vscode';
import {
  conventionalTitlesNeedReading,
  fluxContentLayer,
  pullableLayers,
  pullManifest,
  withConventionalTitles,
  type PullPlan,
  type PullResult,
} from '../../core/files';
import {
  formatBytes,
  IMAGE_LAYER_TYPES,
  OutputExistsError,
  titleOf,
  type Descriptor,
  type ImageIndex,
  type Manifest,
} from '../../core/oci';
import type { Target } from '../../core/content';
import { runTransfer, type TransferStep } from '../progress';
import { platformLabel } from '../tree/labels';
import type { ManifestNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { agreeToReplace } from './agreeToReplace';
import { artifactName, resolveManifest } from './pickers';

/** Where a pull wrote, and the files and folders it wrote there. */
export interface PullOutcome {
  folder: string;
  files: string[];
}

/** A manifest read from its store, with the store it came from. */
export interface ManifestRead {
  target: Target;
  descriptor: Descriptor;
  manifest: Manifest;
}

/** The artifact's tag resolved and its manifest read, in a progress that shows a slow store and can be cancelled. */
export function readArtifact(ctx: CommandContext, source: ManifestNode): Thenable<ManifestRead> {
  const name = artifactName(source, source.descriptor?.digest ?? '');
  return runTransfer(`Reading ${name}`, async (signal) => {
    const { target, descriptor } = await resolveManifest(ctx, source, signal);
    return { target, descriptor, manifest: (await target.fetchManifest(descriptor, { signal })).manifest };
  });
}

/**
 * The manifest to pull: the platform's picked from an index, read in a progress. A Helm chart's layers have no
 * titles: they are named as `helm pull` names them, from its config, read once for the plan and the pull, in the
 * same progress.
 */
export async function readChosen(
  source: ManifestNode,
  read: ManifestRead,
  platform: Descriptor | undefined,
): Promise<ManifestRead> {
  const { target } = read;
  const descriptor = platform ?? read.descriptor;
  if (!platform && !conventionalTitlesNeedReading(read.manifest)) return read;
  return runTransfer(`Reading ${artifactName(source, descriptor.digest)}`, async (signal) => {
    const manifest = platform ? (await target.fetchManifest(platform, { signal })).manifest : read.manifest;
    return {
      target,
      descriptor,
      manifest: conventionalTitlesNeedReading(manifest)
        ? await withConventionalTitles(manifest, target, signal)
        : manifest,
    };
  });
}

/** An index holds one manifest per platform: the user picks which one to pull. */
export async function choosePlatform(
  ctx: CommandContext,
  title: string,
  index: ImageIndex,
  placeHolder = 'This is an index: which manifest?',
): Promise<Descriptor | undefined> {
  const picked = await ctx.prompts().pick(
    index.manifests.map((d) => ({
      label: platformLabel(d.platform) ?? d.digest,
      description: formatBytes(d.size),
      descriptor: d,
    })),
    { title, placeHolder },
  );
  return picked?.descriptor;
}

/**
 * Why nothing would be written, or undefined when something would: a container image's layers ('image') or any
 * other artifact's ('untitled') have no file names. A Flux artifact's one layer has no title either: it is
 * extracted into the folder, as flux pull artifact does.
 */
export function nothingToPull(manifest: Manifest): 'image' | 'untitled' | undefined {
  // Layers that are no descriptors (a null, an object for the list) are named here, not met as a TypeError.
  const layers = 'layers' in manifest ? pullableLayers(manifest) : undefined;
  if (layers?.some((layer) => titleOf(layer) !== undefined) || fluxContentLayer(manifest)) return undefined;
  // An image's layers are filesystem changes; a module's or an archive's layer is a file its tool names.
  return layers && layers.every((layer) => IMAGE_LAYER_TYPES.has(layer.mediaType)) ? 'image' : 'untitled';
}

/**
 * Pulls `chosen` into the plan's folder in a progress notification. A Flux artifact's files meet the user's only
 * once unpacked: a pull refused for files that differ names them, and goes again replacing those (and only those)
 * when the user agrees. Undefined when the user did not.
 */
export async function pullAgreeingToReplace(
  ctx: CommandContext,
  title: string,
  chosen: ManifestRead,
  plan: PullPlan,
  capBytes: number,
  step?: TransferStep,
): Promise<PullResult | undefined> {
  const { target, descriptor, manifest } = chosen;
  let replaceOnly: string[] = [];
  for (;;) {
    try {
      return await runTransfer(title, (signal, report) =>
        pullManifest(target, { descriptor, manifest }, plan.target, {
          overwrite: plan.conflicts.length > 0,
          ...(replaceOnly.length ? { replaceOnly } : {}),
          maxBytes: capBytes,
          signal,
          onProgress: (p) => report(p, step),
        }),
      );
    } catch (error) {
      const names = error instanceof OutputExistsError ? error.names : undefined;
      if (!names?.length) throw error;
      if (!(await agreeToReplace(ctx, plan.target, names))) return undefined;
      replaceOnly = [...replaceOnly, ...names];
    }
  }
}

/** Shows the first pulled item in the Explorer (its folders expanded), when the folder is in the workspace. */
export async function reveal(folder: string, first: string | undefined): Promise<void> {
  const uri = vscode.Uri.file(first ?? folder);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
}
