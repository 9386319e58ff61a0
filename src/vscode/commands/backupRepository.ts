// "Back Up Repository…": tags of a registry repository (all, or those chosen), with their referrers when asked,
// into a layout folder or a .tar layout archive, in one cancellable transfer ending with a summary. The engine is
// core's copyTags, as behind `stowage backup`; a rerun into the same place moves only what is missing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DoneSoFar,
  describeStoppedTransfer,
  formatCopyTagsSummary,
  selectTags,
  tagsMoved,
  type CopyTagsSummary,
} from '../../core/graph';
import { formatReference, type Reference, type StoreRef, counted } from '../../core/oci';
import { stagingFolderOf } from '../../core/layout';
import { isCancellation } from '../errorAdvice';
import { isRepositoryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { askNewFolderName } from './newFolderName';
import { pickSource } from './pickers';
import { runSteps } from '../multiStep';
import { transferTags } from './transferTags';
import { askIncludeReferrers } from './includeReferrers';
import { notifyTagsDone } from './notifyTransferDone';
import { shownReference } from '../shownReference';

const TITLE = 'Back Up Repository';

export interface BackupRequest {
  /** Tags to back up; all when empty. */
  tags?: string[];
  referrers?: boolean;
  /** A path ending in .tar is written as a layout archive; any other path is a layout folder. */
  output?: string;
}

export function backupRepository(ctx: CommandContext) {
  return async (node?: TreeNode, request: BackupRequest = {}): Promise<CopyTagsSummary | undefined> => {
    let repository: StoreRef | undefined = isRepositoryNode(node) ? node.store : undefined;
    let tags = request.tags;
    let referrers = request.referrers;
    let output = request.output;
    const answered = await runSteps(ctx, [
      {
        when: () => !isRepositoryNode(node),
        ask: async (c) => (repository = await pickSource(c, TITLE, { placeHolder: 'Repository to back up' })),
      },
      {
        when: () => request.tags === undefined,
        ask: async (c) => (tags = await askTags(c, TITLE, await selectTags(await c.stores.target(repository!), {}))),
      },
      {
        when: () => request.referrers === undefined,
        ask: async (c) =>
          (referrers = await askIncludeReferrers(c, {
            title: TITLE,
            placeHolder: 'Back up their referrers too?',
            includes: 'signatures, SBOMs and what refers to them',
            only: 'Only the tagged artifacts',
          })),
      },
      {
        when: () => request.output === undefined,
        ask: async (c) =>
          (output = await askOutput(c, path.basename(repository?.kind === 'registry' ? repository.repository : ''))),
      },
    ]);
    // The picker offers registry repositories only; the check narrows the type.
    if (!answered || repository?.kind !== 'registry' || !tags || referrers === undefined || !output) return undefined;
    const src = await ctx.stores.target(repository);
    const destination: StoreRef & Reference = /\.tar$/i.test(output)
      ? { kind: 'layout', path: output, archive: true }
      : { kind: 'layout', path: output };
    const from = formatReference(repository);
    // A night's backup keeps what can be kept: a failing tag is logged and the next goes on (the CLI's
    // --keep-going); the archive or folder holds the others whole, and backing up again fetches what is missing.
    const backedUp = new DoneSoFar();
    const summary = await transferTags(ctx, `Backing up ${from} to ${output}`, src, destination, {
      tags,
      referrers,
      keepGoing: true,
      onTag: backedUp.onTag,
    }).then(undefined, async (error: unknown) => {
      if (destination.archive) await tellWhereWorkIsKept(ctx, destination, backedUp, error);
      else await tellWhatFolderKeeps(ctx, destination, backedUp, error);
      throw error;
    });
    ctx.layouts.refresh();
    notifyTagsDone(
      ctx,
      TITLE,
      destination,
      (to) => `Backed up ${counted(tagsMoved(summary), 'tag')} of ${from} to ${to}: ${formatCopyTagsSummary(summary)}`,
      summary,
    );
    return summary;
  };
}

/** All tags, or those picked; undefined when cancelled. An empty list means all. */
export async function askTags(ctx: CommandContext, title: string, tags: string[]): Promise<string[] | undefined> {
  const choice = await ctx.prompts().pick(
    [
      { label: 'All tags', description: counted(tags.length, 'tag'), all: true },
      { label: 'Choose tags…', all: false },
    ],
    { title, placeHolder: 'Which tags?' },
  );
  if (!choice) return undefined;
  if (choice.all) return [];
  const picked = await ctx.prompts().pickMany(
    tags.map((tag) => ({ label: tag })),
    { title, placeHolder: 'Tags' },
  );
  return picked?.length ? picked.map((p) => p.label) : undefined;
}

async function askOutput(ctx: CommandContext, name: string): Promise<string | undefined> {
  const kind = await ctx.prompts().pick(
    [
      { label: 'Archive (.tar)', description: 'one file, as skopeo and ORAS read it', archive: true },
      { label: 'Layout folder', description: 'an OCI image layout', archive: false },
    ],
    { title: TITLE, placeHolder: 'Back up into' },
  );
  if (!kind) return undefined;
  if (kind.archive) {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
    const file = await ctx.prompts().saveDialog({
      title: `${TITLE}: archive to write`,
      saveLabel: 'Back Up',
      filters: { 'Layout archive': ['tar'] },
      ...(workspace ? { defaultUri: vscode.Uri.joinPath(workspace, `${name}.tar`) } : {}),
    });
    if (!file) return undefined;
    return /\.tar$/i.test(file.fsPath) ? file.fsPath : `${file.fsPath}.tar`;
  }
  const folders = await ctx.prompts().openDialog({
    title: `${TITLE}: folder to make the layout in`,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Back Up Here',
  });
  if (!folders?.[0]) return undefined;
  const layout = await askNewFolderName(ctx, TITLE, folders[0].fsPath, `${name}-backup`, 'Layout folder name');
  return layout === undefined ? undefined : path.join(folders[0].fsPath, layout);
}

/**
 * A backup into a layout folder that stopped (cancelled, failed) keeps the tags it finished, whole, and every blob
 * it fetched for the others: the user is told how many and that backing up again fetches only what is missing (a
 * cancel said nothing, and the folder looked like a finished backup of fewer tags). The tags counted are this run's;
 * a folder that held others already says how many it lists in all.
 */
async function tellWhatFolderKeeps(
  ctx: CommandContext,
  folder: StoreRef & Reference,
  backedUp: DoneSoFar,
  error: unknown,
): Promise<void> {
  if (folder.kind !== 'layout' || !(await fs.stat(path.join(folder.path, 'index.json')).catch(() => undefined))) return;
  const listed = await selectTags(await ctx.stores.target(folder), {}).catch(() => undefined);
  if (!listed) return;
  ctx.layouts.refresh();
  void ctx.prompts().notify(
    'info',
    describeStoppedTransfer({
      run: 'backup',
      cancelled: isCancellation(error),
      where: shownReference(folder),
      done: backedUp,
      listed: listed.length,
      again: 'Back Up Repository… into that folder again',
    }),
  );
}

/**
 * A backup into an archive that stopped (cancelled, failed) keeps what it fetched in the archive's staging folder,
 * which the next backup into that archive resumes from: the user is told how many tags are there whole, where, and
 * how to go on, in the words of a stopped backup into a folder. The view does not list that folder (it is the
 * archive's, not a layout to write into).
 */
async function tellWhereWorkIsKept(
  ctx: CommandContext,
  archive: StoreRef & Reference,
  backedUp: DoneSoFar,
  error: unknown,
): Promise<void> {
  if (archive.kind !== 'layout') return;
  const staging = stagingFolderOf(archive.path);
  if (!(await fs.stat(staging).catch(() => undefined))) return;
  const stopped = describeStoppedTransfer({
    run: 'backup',
    cancelled: isCancellation(error),
    where: `the archive's staging folder ${staging}`,
    done: backedUp,
    again: `Back Up Repository… into ${shownReference(archive)} again`,
  });
  void ctx.prompts().notify('info', `${stopped} Delete that folder to start afresh.`);
}
