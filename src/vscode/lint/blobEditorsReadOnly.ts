// A layout's blob file is content-addressed: its name is the digest of its bytes, so any edit breaks the layout.
// Opened in an editor (from Problems, the Explorer, a link in a hover), it is made read-only for the session, as
// VS Code's own "Set Active Editor Read-only in Session" does; the editor says so when one types.
import * as vscode from 'vscode';
import { layoutFileOf } from '../../core/lint';

const SET_READONLY_IN_SESSION = 'workbench.action.files.setActiveEditorReadonlyInSession';

export function keepBlobEditorsReadOnly(log: vscode.LogOutputChannel): vscode.Disposable {
  const protect = async (editor: vscode.TextEditor | undefined): Promise<void> => {
    if (!editor || editor.document.uri.scheme !== 'file') return;
    const file = await layoutFileOf(editor.document.uri.fsPath);
    // The command acts on the active editor: the user may have moved on while the layout was looked up.
    if (file?.role !== 'blob' || vscode.window.activeTextEditor !== editor) return;
    try {
      await vscode.commands.executeCommand(SET_READONLY_IN_SESSION);
    } catch (error) {
      log.warn(`Could not make ${file.relative} read-only: ${(error as Error).message}`);
    }
  };
  void protect(vscode.window.activeTextEditor);
  return vscode.window.onDidChangeActiveTextEditor((editor) => void protect(editor));
}
