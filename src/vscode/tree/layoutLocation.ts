// Where a layout is, as its row's description: the folder holding it, relative to the workspace folder it is in
// (nothing at the workspace root, whose name the row already shows), else with the home folder as "~". The full
// path was cut off by every side bar and repeated the row's own name.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export function layoutLocation(fsPath: string): string | undefined {
  const parent = path.dirname(fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fsPath));
  if (folder) {
    const relative = path.relative(folder.uri.fsPath, parent).split(path.sep).join('/');
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    if (!multiRoot) return relative || undefined;
    return relative ? `${folder.name}/${relative}` : folder.name;
  }
  const home = os.homedir();
  return parent === home || parent.startsWith(home + path.sep) ? `~${parent.slice(home.length)}` : parent;
}
