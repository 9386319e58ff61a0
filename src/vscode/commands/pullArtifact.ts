// "Pull Artifact…": the artifact's titled files into a chosen folder. The typed reference and an index's platform
// are numbered questions with Back; every read runs in a cancellable progress. Before writing, the file list with
// sizes and any conflicts is shown for confirmation (a modal: it lists what a quick pick could not); a Flux
// artifact's files that differ from the user's are named and replaced only when agreed to; afterwards the folder
// is revealed. On several selected rows: pullSeveral.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planPull, type PullPlan } from '../../core/files';
import {
  isIndex,
  type Descriptor,
  type ImageIndex,
  type Manifest,
  printable,
  formatBytes,
  counted,
} from '../../core/oci';
import { runSteps } from '../multiStep';
import { isManifestNode, type ManifestNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { artifactName, pickArtifact } from './pickers';
import { shortName } from './doneWithReference';
import { askNewFolderName } from './newFolderName';
import { REPLACE_AND_PULL } from './agreeToReplace';
import { pullSeveral } from './pullSeveral';
import { selectedArtifacts } from './selection';
import {
  choosePlatform,
  nothingToPull,
  pullAgreeingToReplace,
  readArtifact,
  readChosen,
  reveal,
  type ManifestRead,
  type PullOutcome,
} from './pullReads';

const TITLE = 'Pull Artifact';
const COPY_TO = 'Copy To…';
const NEW_FOLDER = 'Pull into New Folder…';

export type { PullOutcome } from './pullReads';

export function pullArtifact(ctx: CommandContext) {
  return async (node?: TreeNode, selected?: readonly TreeNode[]): Promise<PullOutcome | PullOutcome[] | undefined> => {
    const several = selectedArtifacts(node, selected);
    if (several.length > 1) return pullSeveral(ctx, TITLE, several);
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
        ask: async (c) => (platform = await choosePlatform(c, TITLE, read!.manifest as ImageIndex)),
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
    const { descriptor, manifest } = chosen;
    const capBytes = ctx.settings().pullSizeCapMiB * 1024 * 1024;
    // The last question is a modal: it lists what will be written and replaced, which a quick pick cannot show.
    const agreed = await agreeOnFolder(ctx, manifest, descriptor, capBytes, pickedFolder, suggestedFolderName(source));
    if (!agreed || 'done' in agreed) return agreed?.done;
    const { plan } = agreed;

    const result = await pullAgreeingToReplace(ctx, `Pulling into ${plan.target}`, chosen, plan, capBytes);
    if (!result) return undefined;
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

/**
 * False (after saying so) when nothing would be written: a container image's layers have no file names, so there
 * is nothing to choose a folder for. A Flux artifact's one layer has no title either: it is extracted into the
 * folder, as flux pull artifact does.
 */
async function somethingToPull(ctx: CommandContext, source: ManifestNode, chosen: ManifestRead): Promise<boolean> {
  const { manifest, descriptor } = chosen;
  const nothing = nothingToPull(manifest);
  if (!nothing) return true;
  const images = nothing === 'image';
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
      { mustNotExist: true },
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
