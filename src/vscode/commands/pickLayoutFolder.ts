// A layout folder for a palette command: the layouts the Image Layouts view shows, and — for commands that work on
// any layout folder — "Choose Folder…" for one it does not show.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandContext } from './CommandContext';

export async function pickLayoutFolder(
  ctx: CommandContext,
  options: { title: string; placeHolder: string; anyFolder?: boolean },
): Promise<string | undefined> {
  const items = [
    ...(await ctx.layouts.layoutPaths()).map((l) => ({
      label: path.basename(l.path),
      iconPath: new vscode.ThemeIcon('folder-library'),
      description: l.path,
      folder: l.path,
    })),
    ...(options.anyFolder
      ? [{ label: 'Choose Folder…', iconPath: new vscode.ThemeIcon('folder-opened'), description: '', folder: '' }]
      : []),
  ];
  const picked = await ctx.prompts().pick(items, { title: options.title, placeHolder: options.placeHolder });
  if (!picked || picked.folder) return picked?.folder;
  const chosen = await ctx.prompts().openDialog({
    title: options.title,
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: options.title,
  });
  return chosen?.[0]?.fsPath;
}
