// Every question Stowage asks goes through `Prompts`, so commands read the same from the palette, from menus
// and from the extension-host tests (which answer through a scripted implementation of this interface).
import * as vscode from 'vscode';

export interface PickOptions {
  title: string;
  placeHolder?: string;
}

export interface ConfirmOptions {
  /** The modal's message (names what is at stake). */
  message: string;
  detail?: string;
  /** The label of the button that goes ahead. */
  action: string;
}

export interface ChooseOptions {
  /** The modal's message (names what is at stake). */
  message: string;
  detail?: string;
  /** The buttons that go ahead, in order; Cancel is added by the editor. */
  actions: string[];
}

export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined>;
  input(options: vscode.InputBoxOptions & { title: string }): Promise<string | undefined>;
  /** A modal warning; true only when the user chose `action`. */
  confirm(options: ConfirmOptions): Promise<boolean>;
  /** A modal warning with several ways to go ahead; the chosen action's label, undefined when cancelled. */
  choose(options: ChooseOptions): Promise<string | undefined>;
  openDialog(options: vscode.OpenDialogOptions & { title: string }): Promise<vscode.Uri[] | undefined>;
  /** A notification with actions; resolves with the chosen action's label. */
  notify(severity: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Promise<string | undefined>;
}

export const windowPrompts: Prompts = {
  async pick(items, options) {
    return vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true });
  },
  async pickMany(items, options) {
    return vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true, canPickMany: true });
  },
  async input(options) {
    return vscode.window.showInputBox({ ...options, ignoreFocusOut: true });
  },
  async confirm(options) {
    const choice = await vscode.window.showWarningMessage(options.message, { modal: true, detail: options.detail }, options.action);
    return choice === options.action;
  },
  async choose(options) {
    return vscode.window.showWarningMessage(options.message, { modal: true, detail: options.detail }, ...options.actions);
  },
  async openDialog(options) {
    return vscode.window.showOpenDialog(options);
  },
  async notify(severity, message, ...actions) {
    if (severity === 'error') return vscode.window.showErrorMessage(message, ...actions);
    if (severity === 'warning') return vscode.window.showWarningMessage(message, ...actions);
    return vscode.window.showInformationMessage(message, ...actions);
  },
};
