// "Pull Artifact…": the artifact's titled files into a chosen folder. The typed reference and an index's platform
// are numbered questions with Back; every read runs in a cancellable progress. Before writing, the file list with
// sizes and any conflicts is shown for confirmation (a modal: it lists what a quick pick could not); a Flux
// artifact's files that differ from the user's are named and replaced only when agreed to; afterwards the folder
// is revealed.
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
  type PullResult,
} from '../../core/files';
import {
  isIndex,
  titleOf,
  type Descriptor,
  type ImageIndex,
  type Manifest,
  OutputExistsError,
  printable,
  formatBytes,
  counted,
  IMAGE_LAYER_TYPES,
} from '../../core/oci';
import type { Target } from '../../core/content';
import { runSteps } from '../multiStep';
import { runTransfer } from '../progress';
import { platformLabel } from '../tree/labels';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { artifactName, pickArtifact, resolveManifest } from './pickers';
import { shortName } from './doneWithReference';
import { askNewFolderName } from './newFolderName';
import { agreeToReplace, REPLACE_AND_PULL } from './agreeToReplace';

const TITLE = 'Pull Artifact';
const COPY_TO = 'Copy To…';
const NEW_FOLDER = 'Pull into New Folder…';

export interface PullOutcome {
  folder: string;
  files: string[];
}

export function pullArtifact(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<PullOutcome | undefined> => {
    let source: ManifestNode | undefined = isManifestNode(node) ? node : undefined;
    let read: ManifestRead | undefined;
    let platform: Descriptor | undefined;
    let chosen: ManifestRead | undefined;
    let pickedFolder: string | undefined;
    // The artifact typed, its platform (an index), then the folder: numbered, with Back to the question before.
    const answered = await runSteps(ctx, [
      {
        questions: source ? 0 : 1,
        // Whether a platform is asked for is known once the reference typed is read.
        decidesCount: !source,
        ask: async (c) => {
          if (!isManifestNode(node)) source = await pickArtifact(c, TITLE);
          return source && (read = await readArtifact(c, source));
        },
      },
      {
        when: () => read !== undefined && isIndex(read.manifest),
        ask: async (c) => (platform = await choosePlatform(c, read!.manifest as ImageIndex)),
      },
      { questions: 0, ask: async () => (chosen = await readChosen(source!, read!, platform)) },
      { questions: 0, ask: async (c) => (await somethingToPull(c, source!, chosen!)) || undefined },
      {
        questions: 0,
        ask: async (c) =>
          (pickedFolder = (
            await c.prompts().openDialog({
              title: `${TITLE}: folder to write into`,
              canSelectFolders: true,
              canSelectFiles: false,
              canSelectMany: false,
              openLabel: 'Pull Here',
            })
          )?.[0]?.fsPath),
      },
    ]);
    if (!answered || !source || !chosen || !pickedFolder) return undefined;
    const { target, descriptor, manifest } = chosen;
    const capBytes = ctx.settings().pullSizeCapMiB * 1024 * 1024;
    // The last question is a modal: it lists what will be written and replaced, which a quick pick cannot show.
    const agreed = await agreeOnFolder(ctx, manifest, descriptor, capBytes, pickedFolder, suggestedFolderName(source));
    if (!agreed || 'done' in agreed) return agreed?.done;
    const { plan, folder } = agreed;

    // A Flux artifact's files meet the user's only once unpacked: a pull refused for files that differ names them,
    // and goes again replacing those (and only those) when the user agrees.
    let replaceOnly: string[] = [];
    let result: PullResult;
    for (;;) {
      try {
        result = await runTransfer(`Pulling into ${plan.target}`, (signal, report) =>
          pullManifest(target, { descriptor, manifest }, folder, {
            overwrite: plan.conflicts.length > 0,
            ...(replaceOnly.length ? { replaceOnly } : {}),
            maxBytes: capBytes,
            signal,
            onProgress: report,
          }),
        );
        break;
      } catch (error) {
        const names = error instanceof OutputExistsError ? error.names : undefined;
        if (!names?.length) throw error;
        if (!(await agreeToReplace(ctx, plan.target, names))) return undefined;
        replaceOnly = [...replaceOnly, ...names];
      }
    }
    const pulled = shortName(source.store, source.tag, descriptor.digest);
    ctx.log.info(
      `Pulled ${artifactName(source, descriptor.digest)} (${descriptor.digest}) into ${plan.target} (${result.bytesWritten} bytes written, ${result.bytesKept} bytes already there and kept)`,
    );
    void ctx
      .prompts()
      .notify('info', `Pulled ${counted(result.outputs.length, 'item')} of ${pulled} into ${plan.target}.`);
    await reveal(plan.target, result.outputs[0]?.path);
    return { folder: plan.target, files: result.outputs.map((o) => o.path) };
  };
}

/** A manifest read from its store, with the store it came from. */
interface ManifestRead {
  target: Target;
  descriptor: Descriptor;
  manifest: Manifest;
}

/** The artifact's tag resolved and its manifest read, in a progress that shows a slow store and can be cancelled. */
function readArtifact(ctx: CommandContext, source: ManifestNode): Thenable<ManifestRead> {
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
async function readChosen(
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

/**
 * False (after saying so) when nothing would be written: a container image's layers have no file names, so there
 * is nothing to choose a folder for. A Flux artifact's one layer has no title either: it is extracted into the
 * folder, as flux pull artifact does.
 */
async function somethingToPull(ctx: CommandContext, source: ManifestNode, chosen: ManifestRead): Promise<boolean> {
  const { manifest, descriptor } = chosen;
  // Layers that are no descriptors (a null, an object for the list) are named here, not met as a TypeError.
  const layers = 'layers' in manifest ? pullableLayers(manifest) : undefined;
  if (layers?.some((layer) => titleOf(layer) !== undefined) || fluxContentLayer(manifest)) return true;
  // An image's layers are filesystem changes; a module's or an archive's layer is a file its tool names.
  const images = !!layers && layers.every((layer) => IMAGE_LAYER_TYPES.has(layer.mediaType));
  const copy = await ctx
    .prompts()
    .notify(
      'info',
      `Nothing to pull: ${descriptor.digest} has no layers with a file name (org.opencontainers.image.title)${images ? ", as a container image's layers" : ''}. Copy it into an image layout to keep every layer.`,
      COPY_TO,
    );
  if (copy === COPY_TO) await vscode.commands.executeCommand('stowage.artifact.copyTo', source);
  return false;
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
    const goAhead = plan.conflicts.length ? REPLACE_AND_PULL : 'Pull';
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

/** An index holds one manifest per platform: the user picks which one to pull. */
async function choosePlatform(ctx: CommandContext, index: ImageIndex): Promise<Descriptor | undefined> {
  const picked = await ctx.prompts().pick(
    index.manifests.map((d) => ({
      label: platformLabel(d.platform) ?? d.digest,
      description: formatBytes(d.size),
      descriptor: d,
    })),
    { title: TITLE, placeHolder: 'This is an index: which manifest?' },
  );
  return picked?.descriptor;
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
