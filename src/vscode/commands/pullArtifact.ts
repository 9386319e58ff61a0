// "Pull Artifact…": the artifact's titled files into a chosen folder. Before writing, the file list with sizes
// and any conflicts is shown for confirmation; afterwards the folder is revealed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  conventionalTitlesNeedReading,
  planPull,
  pullableLayers,
  pullManifest,
  withConventionalTitles,
  fluxContentLayer,
  type PullPlan,
} from '../../core/files';
import {
  isIndex,
  titleOf,
  type Descriptor,
  type Manifest,
  printable,
  formatBytes,
  counted,
  IMAGE_LAYER_TYPES,
} from '../../core/oci';
import type { Target } from '../../core/content';
import { runTransfer } from '../progress';
import { platformLabel } from '../tree/labels';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { artifactName, pickArtifact, resolveManifest } from './pickers';
import { shortName } from './doneWithReference';
import { askNewFolderName } from './newFolderName';

const TITLE = 'Pull Artifact';
const COPY_TO = 'Copy To…';
const NEW_FOLDER = 'Pull into New Folder…';

export interface PullOutcome {
  folder: string;
  files: string[];
}

export function pullArtifact(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<PullOutcome | undefined> => {
    const source = isManifestNode(node) ? node : await pickArtifact(ctx, TITLE);
    if (!source) return undefined;
    const resolved = await resolveManifest(ctx, source);
    const picked = await choosePlatform(ctx, resolved.target, resolved.descriptor);
    if (!picked) return undefined;
    const chosen = picked.descriptor;
    // A Helm chart's layers have no titles: they are named as `helm pull` names them, from its config, read once
    // for the plan and the pull, in a progress that shows a slow registry and can be cancelled.
    const manifest = conventionalTitlesNeedReading(picked.manifest)
      ? await runTransfer(`Reading ${artifactName(source, chosen.digest)}`, (signal) =>
          withConventionalTitles(picked.manifest, resolved.target, signal),
        )
      : picked.manifest;
    // Layers that are no descriptors (a null, an object for the list) are named here, not met as a TypeError.
    const layers = 'layers' in manifest ? pullableLayers(manifest) : undefined;
    // Asked before the folder: a container image's layers have no file names, so there is nothing to choose a folder for.
    // A Flux artifact's one layer has no title either: it is extracted into the folder, as flux pull artifact does.
    if (!layers?.some((layer) => titleOf(layer) !== undefined) && !fluxContentLayer(manifest)) {
      // An image's layers are filesystem changes; a module's or an archive's layer is a file its tool names.
      const images = !!layers && layers.every((layer) => IMAGE_LAYER_TYPES.has(layer.mediaType));
      const copy = await ctx
        .prompts()
        .notify(
          'info',
          `Nothing to pull: ${chosen.digest} has no layers with a file name (org.opencontainers.image.title)${images ? ", as a container image's layers" : ''}. Copy it into an image layout to keep every layer.`,
          COPY_TO,
        );
      if (copy === COPY_TO) await vscode.commands.executeCommand('stowage.artifact.copyTo', source);
      return undefined;
    }
    const folders = await ctx.prompts().openDialog({
      title: `${TITLE}: folder to write into`,
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Pull Here',
    });
    const pickedFolder = folders?.[0]?.fsPath;
    if (!pickedFolder) return undefined;
    const capBytes = ctx.settings().pullSizeCapMiB * 1024 * 1024;
    const agreed = await agreeOnFolder(ctx, manifest, chosen, capBytes, pickedFolder, suggestedFolderName(source));
    if (!agreed || 'done' in agreed) return agreed?.done;
    const { plan, folder } = agreed;

    const result = await runTransfer(`Pulling into ${plan.target}`, (signal, report) =>
      pullManifest(resolved.target, { descriptor: chosen, manifest }, folder, {
        overwrite: plan.conflicts.length > 0,
        maxBytes: capBytes,
        signal,
        onProgress: report,
      }),
    );
    const pulled = shortName(source.store, source.tag, chosen.digest);
    ctx.log.info(
      `Pulled ${artifactName(source, chosen.digest)} (${chosen.digest}) into ${plan.target} (${result.bytesWritten} bytes written, ${result.bytesKept} bytes already there and kept)`,
    );
    void ctx
      .prompts()
      .notify('info', `Pulled ${counted(result.outputs.length, 'item')} of ${pulled} into ${plan.target}.`);
    await reveal(plan.target, result.outputs[0]?.path);
    return { folder: plan.target, files: result.outputs.map((o) => o.path) };
  };
}

type FolderAgreement = { plan: PullPlan; folder: string } | { done: PullOutcome };

/**
 * Shows what the pull would write into `folder` and asks to go ahead, or to pull into a new folder inside it
 * instead (the editor's folder dialog cannot create one, least of all in the browser). Settles without a question
 * when everything is already there, and refuses what is above the pull size cap.
 */
async function agreeOnFolder(
  ctx: CommandContext,
  manifest: Manifest,
  chosen: Descriptor,
  capBytes: number,
  picked: string,
  suggestedName: string,
): Promise<FolderAgreement | undefined> {
  let folder = picked;
  for (;;) {
    const plan = await planPull(manifest, folder);
    if (plan.unchanged.length === plan.outputs.length) {
      await ctx
        .prompts()
        .notify(
          'info',
          `Already up to date: ${plan.target} holds the ${counted(plan.outputs.length, 'file')} of ${chosen.digest}.`,
        );
      return { done: { folder: plan.target, files: plan.outputs.map((o) => o.path) } };
    }
    if (plan.totalBytes > capBytes) {
      await ctx
        .prompts()
        .notify(
          'error',
          `The artifact is ${formatBytes(plan.totalBytes)}, above the pull size cap of ${formatBytes(capBytes)} (stowage.pull.sizeCapMiB).`,
        );
      return undefined;
    }
    const goAhead = plan.conflicts.length ? 'Replace and Pull' : 'Pull';
    const choice = await ctx.prompts().choose({
      message: plan.conflicts.length
        ? `Pull into ${plan.target}, replacing ${counted(plan.conflicts.length, 'existing item')}?`
        : `Pull ${counted(plan.outputs.length - plan.unchanged.length, 'item')} into ${plan.target}?`,
      detail: planDetail(plan),
      actions: [goAhead, NEW_FOLDER],
    });
    if (choice === goAhead) return { plan, folder };
    if (choice !== NEW_FOLDER) return undefined;
    const name = await askNewFolderName(
      ctx,
      TITLE,
      plan.target,
      suggestedName,
      'Name of the folder to create and pull into',
    );
    if (name === undefined) return undefined;
    folder = path.join(plan.target, name);
  }
}

/** The repository's last segment (or the layout's folder name): where a user would put its files. */
function suggestedFolderName(source: ManifestNode): string {
  const base = source.store.kind === 'registry' ? source.store.repository : path.basename(source.store.path);
  return (base.split('/').pop() ?? '').replace(/\.tar$/i, '');
}

/** An index holds one manifest per platform: the user picks which one to pull. Returns it with its manifest. */
async function choosePlatform(
  ctx: CommandContext,
  target: Target,
  descriptor: Descriptor,
): Promise<{ descriptor: Descriptor; manifest: Manifest } | undefined> {
  const { manifest } = await target.fetchManifest(descriptor);
  if (!isIndex(manifest)) return { descriptor, manifest };
  const picked = await ctx.prompts().pick(
    manifest.manifests.map((d) => ({
      label: platformLabel(d.platform) ?? d.digest,
      description: formatBytes(d.size),
      descriptor: d,
    })),
    { title: TITLE, placeHolder: 'This is an index: which manifest?' },
  );
  return (
    picked && { descriptor: picked.descriptor, manifest: (await target.fetchManifest(picked.descriptor)).manifest }
  );
}

function planDetail(plan: PullPlan): string {
  const lines = plan.outputs
    .slice(0, 30)
    .map(
      (o) =>
        `${o.intoTarget ? "the Flux artifact's files, extracted into this folder" : `${printable(o.title)}${o.unpack ? '/ (folder)' : ''}`} — ${formatBytes(o.size)}${o.conflict ? ` — exists, ${o.unpack ? 'its files will be replaced where they differ (your other files stay)' : 'will be replaced'}` : ''}${o.unchanged ? ' — already there, unchanged' : ''}`,
    );
  if (plan.outputs.length > 30) lines.push(`… and ${plan.outputs.length - 30} more`);
  if (plan.untitled.length) lines.push(`Skipped: ${counted(plan.untitled.length, 'layer')} without a file name.`);
  lines.push(`Total: ${formatBytes(plan.totalBytes)}`);
  return lines.join('\n');
}

/** Shows the first pulled item in the Explorer (its folders expanded), when the folder is in the workspace. */
async function reveal(folder: string, first: string | undefined): Promise<void> {
  const uri = vscode.Uri.file(first ?? folder);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
}
