// "New Layout…": creates an empty OCI image layout (oci-layout, index.json, blobs/) in a chosen folder. Layouts
// inside the workspace appear through the file watcher; others are added to `stowage.layouts`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayoutTarget } from '../../core/layout';
import { updateLayouts } from '../settings';
import type { CommandContext } from './CommandContext';
import { askNewFolderName } from './newFolderName';

export function newLayout(ctx: CommandContext) {
  return async (): Promise<string | undefined> => {
    const parents = await ctx.prompts().openDialog({
      title: 'New Layout: parent folder',
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Create Layout Here',
    });
    const parent = parents?.[0]?.fsPath;
    if (!parent) return undefined;
    const name = await askNewFolderName(ctx, 'New Layout', parent, 'oci-layout', 'Name of the layout folder');
    if (name === undefined) return undefined;
    const folder = path.join(parent, name);
    await LayoutTarget.open(folder, { create: true });
    const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder)) !== undefined;
    if (!inWorkspace) await updateLayouts((layouts) => (layouts.includes(folder) ? layouts : [...layouts, folder]));
    ctx.layouts.refreshStore({ kind: 'layout', path: folder });
    return folder;
  };
}
