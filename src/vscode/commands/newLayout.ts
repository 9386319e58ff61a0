// "New Layout…": creates an empty OCI image layout (oci-layout, index.json, blobs/) in a chosen folder. Layouts
// inside the workspace appear through the file watcher; others are added to `stowage.layouts`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayoutTarget } from '../../core/layout';
import { updateLayouts } from '../settings';
import type { CommandContext } from './CommandContext';

export function newLayout(ctx: CommandContext) {
  return async (): Promise<string | undefined> => {
    const parents = await ctx.prompts().openDialog({
      title: 'New Layout: parent folder',
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Create Layout Here',
    });
    const parent = parents?.[0]?.fsPath;
    if (!parent) return undefined;
    const name = await ctx.prompts().input({
      title: 'New Layout',
      prompt: `Folder name in ${parent}`,
      value: 'oci-layout',
      validateInput: (v) =>
        /^[^\\/]+$/.test(v.trim()) && v.trim() !== '.' && v.trim() !== '..'
          ? undefined
          : 'One folder name, without slashes',
    });
    if (!name) return undefined;
    const folder = path.join(parent, name.trim());
    await LayoutTarget.open(folder, { create: true });
    const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder)) !== undefined;
    if (!inWorkspace) await updateLayouts((layouts) => (layouts.includes(folder) ? layouts : [...layouts, folder]));
    ctx.layouts.refreshStore({ kind: 'layout', path: folder });
    return folder;
  };
}
