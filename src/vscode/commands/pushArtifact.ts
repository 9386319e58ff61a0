// "Push as Artifact…": Explorer files and folders (or ones chosen from the palette) become an artifact in any
// registry repository or layout; a summary is confirmed before anything is sent.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseAnnotationText, printable, formatReference, formatBytes, type StoreRef, counted } from '../../core/oci';
import {
  pushArtifact as pushFiles,
  findSensitiveFiles,
  type HelmChartPackage,
  type SensitiveFilesCheck,
} from '../../core/files';
import { transferInto } from './transferInto';
import { isStoreNode, type TreeNode } from '../tree/nodes';
import { ANNOTATIONS_PROMPT, SUGGESTED_ARTIFACT_TYPES, type ArtifactTypeChoice } from './artifactInputs';
import { askArtifactType } from './askArtifactType';
import { refreshStore, type CommandContext } from './CommandContext';
import { askTag, pickDestination } from './pickers';
import type { TypedDestination } from './destinationReference';
import { runSteps } from '../multiStep';
import { notifyArtifactTransferred } from './notifyTransferDone';
import { askHelmShape, helmChartIn, pushChartTo } from './pushHelmChart';
import { shownDigest } from './doneWithReference';
import { shownReference } from '../shownReference';

const TITLE = 'Push as Artifact';

export interface PushRequest {
  destination?: StoreRef;
}

export interface PushOutcome {
  reference: string;
  digest: string;
}

export function pushArtifact(ctx: CommandContext) {
  return async (
    first?: vscode.Uri | TreeNode,
    selected?: vscode.Uri[],
    request: PushRequest = {},
  ): Promise<PushOutcome | undefined> => {
    let files: string[] | undefined;
    let sensitive: SensitiveFilesAnswer | undefined;
    let chart: HelmChartPackage | undefined;
    let asChart: boolean | undefined;
    let picked: TypedDestination | undefined = request.destination
      ? { store: request.destination }
      : isStoreNode(first)
        ? { store: first.store }
        : undefined;
    const destinationGiven = picked !== undefined;
    let tag: string | undefined;
    let artifactType: string | undefined;
    let annotationText: string | undefined;
    const answered = await runSteps(ctx, [
      {
        ask: async (c) => (files = await chooseFiles(c, first, selected))?.length || undefined,
        questions: 0,
      },
      { ask: async (c) => (sensitive = await askAboutSensitiveFiles(c, files!)), questions: 0 },
      {
        // One packaged Helm chart: offered as helm push stores it (the destination chosen next is its namespace).
        when: () => files!.length === 1,
        ask: async (c) => {
          chart = await helmChartIn(files![0]!);
          asChart = chart && (await askHelmShape(c, files![0]!, chart));
          return chart && asChart === undefined ? undefined : true;
        },
        questions: 0,
      },
      {
        when: () => !destinationGiven,
        // A typed reference may name the tag: whether the tag is asked is known once it is answered.
        decidesCount: true,
        ask: async (c) => (picked = await pickDestination(c, TITLE, { typedReference: true })),
      },
      {
        when: () => !asChart && picked?.tag === undefined,
        ask: async (c) =>
          (tag = await askTag(c, TITLE, { prompt: `Tag in ${shownReference(picked!.store)}`, value: 'latest' })),
      },
      {
        when: () => !asChart,
        ask: async (c) =>
          (artifactType = await askArtifactType(c, TITLE, artifactTypeChoices(c), 'What kind of artifact is this?')),
      },
      {
        when: () => !asChart,
        ask: async (c) =>
          (annotationText = await c.prompts().input({
            title: TITLE,
            prompt: `Annotations (optional). ${ANNOTATIONS_PROMPT}`,
            placeHolder: 'org.opencontainers.image.description=Build 42',
            validateInput: (v) => parseAnnotationText(v).problem,
          })),
      },
    ]);
    if (!answered || !files || sensitive === undefined || !picked) return undefined;
    const { allow: allowSensitiveFiles, checked: sensitiveFilesChecked } = sensitive;
    if (asChart) return pushChartTo(ctx, files[0]!, chart!, picked.store);
    if (!artifactType) return undefined;
    const inputs = files;
    const destination = picked.store;
    tag = picked.tag ?? tag!;
    const { annotations } = parseAnnotationText(annotationText!);

    const reference = formatReference({ ...destination, tag });
    const shown = shownReference({ ...destination, tag });
    const sizes = await Promise.all(files.map(describeInput));
    const confirmed = await ctx.prompts().confirm({
      message: `Push ${counted(files.length, 'item')} to ${shown}?`,
      detail: [
        ...sizes,
        '',
        `artifactType: ${artifactType}`,
        ...Object.entries(annotations).map(([k, v]) => `${k}: ${v}`),
      ].join('\n'),
      action: 'Push',
    });
    if (!confirmed) return undefined;

    const result = await transferInto(
      ctx,
      `Pushing to ${shown}`,
      destination,
      (target, signal, report, reportPacking) =>
        pushFiles(target, inputs, {
          tag,
          artifactType,
          annotations,
          allowSensitiveFiles,
          sensitiveFilesChecked,
          concurrency: ctx.settings().concurrency,
          signal,
          onProgress: report,
          onPacking: reportPacking,
        }),
    );
    // The log keeps the whole reference (shownReference is for what people read at a glance).
    const items = counted(files.length, 'item');
    const pushed = (where: string) => `Pushed ${items} to ${where} as`;
    ctx.log.info(`${pushed(reference)} ${result.descriptor.digest}`);
    refreshStore(ctx, destination);
    // The progress notification is gone: say it worked, with the pinned reference a user usually wants next.
    void notifyArtifactTransferred(ctx, `${pushed(shown)} ${shownDigest(result.descriptor.digest)}.`, {
      store: destination,
      tag,
      digest: result.descriptor.digest,
    });
    return { reference, digest: result.descriptor.digest };
  };
}

/** Whether sensitive files go too, and the look that found none (the pack then reads only files changed since). */
interface SensitiveFilesAnswer {
  allow: boolean;
  checked: SensitiveFilesCheck;
}

/**
 * allow false when nothing sensitive is among the files; when there is (a .git folder, .env files, private keys),
 * a modal names them and allow true means the user chose to push them anyway; undefined: cancelled.
 */
async function askAboutSensitiveFiles(ctx: CommandContext, files: string[]): Promise<SensitiveFilesAnswer | undefined> {
  const { files: found, more, checked } = await findSensitiveFiles(files);
  if (!found.length) return { allow: false, checked };
  const confirmed = await ctx.prompts().confirm({
    message: `Push ${counted(found.length + more, 'item')} of kinds that often hold secrets?`,
    detail: [
      ...found.map((f) => printable(vscode.workspace.asRelativePath(f))),
      ...(more ? [`… and ${more} more`] : []),
      '',
      'A .git folder holds the whole history and often tokens in .git/config; .env files, credential files and private keys hold secrets. Anyone who can pull the artifact gets them.',
    ].join('\n'),
    action: 'Push Them Too',
  });
  return confirmed ? { allow: true, checked } : undefined;
}

async function chooseFiles(
  ctx: CommandContext,
  first: vscode.Uri | TreeNode | undefined,
  selected: vscode.Uri[] | undefined,
): Promise<string[] | undefined> {
  const fromExplorer = (selected?.length ? selected : first instanceof vscode.Uri ? [first] : []).filter(
    (uri) => uri.scheme === 'file',
  );
  if (fromExplorer.length) return fromExplorer.map((uri) => uri.fsPath);
  const uris = await ctx.prompts().openDialog({
    title: `${TITLE}: files or folders`,
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    openLabel: 'Push',
  });
  return uris?.map((uri) => uri.fsPath);
}

/** The configured default first, then the suggestions. */
function artifactTypeChoices(ctx: CommandContext): ArtifactTypeChoice[] {
  const preferred = ctx.settings().defaultArtifactType;
  return [
    { type: preferred, label: 'default (stowage.push.defaultArtifactType)' },
    ...SUGGESTED_ARTIFACT_TYPES.filter((s) => s.type !== preferred),
  ];
}

async function describeInput(file: string): Promise<string> {
  const stats = await fs.stat(file);
  return stats.isDirectory()
    ? `${path.basename(file)}/ — folder, packed as tar+gzip`
    : `${path.basename(file)} — ${formatBytes(stats.size)}`;
}
