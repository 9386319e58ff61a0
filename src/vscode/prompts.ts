// Every question Stowage asks goes through `Prompts`, so commands read the same from the palette, from menus
// and from the extension-host tests (which answer through a scripted implementation of this interface).
// `windowPrompts` is the only code that calls the window's message, modal, pick and input APIs (a lint rule says
// so), and it passes every text it shows through `untrustedText`: a registry's words can never become a link.
// Quick pick items go through `untrustedLabel` too: their texts render `$(name)` as an icon, so a tag named
// "$(warning) trusted" would otherwise show a warning icon; Stowage's own icons are given as `iconPath`.
import * as vscode from 'vscode';
import { untrustedLabel, untrustedText } from '../core/oci';

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
  /** Opens in the first workspace folder unless told otherwise (not in the folder of the file open last). */
  openDialog(options: vscode.OpenDialogOptions & { title: string }): Promise<vscode.Uri[] | undefined>;
  /** A file to write: its name can be typed (a folder dialog cannot create one). */
  saveDialog(options: vscode.SaveDialogOptions & { title: string }): Promise<vscode.Uri | undefined>;
  /** A notification with actions; resolves with the chosen action's label. */
  notify(severity: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Promise<string | undefined>;
  /** Opens a web page in the user's browser (the editor may ask before opening it). */
  openExternal(url: string): Promise<boolean>;
}

export const windowPrompts: Prompts = {
  async pick(items, options) {
    const { copies, original } = pickItemsAsShown(items);
    const chosen = await vscode.window.showQuickPick(copies, { ...shownPickOptions(options), ignoreFocusOut: true });
    return chosen && original(chosen);
  },
  async pickMany(items, options) {
    const { copies, original } = pickItemsAsShown(items);
    const chosen = await vscode.window.showQuickPick(copies, {
      ...shownPickOptions(options),
      ignoreFocusOut: true,
      canPickMany: true,
    });
    return chosen?.map(original);
  },
  async input(options) {
    const validate = options.validateInput;
    return vscode.window.showInputBox({
      ...options,
      title: untrustedText(options.title),
      prompt: shown(options.prompt),
      placeHolder: shown(options.placeHolder),
      validateInput: validate && (async (value) => shownValidation(await validate(value))),
      ignoreFocusOut: true,
    });
  },
  async confirm(options) {
    const choice = await vscode.window.showWarningMessage(
      untrustedText(options.message),
      { modal: true, detail: shown(options.detail, true) },
      options.action,
    );
    return choice === options.action;
  },
  async choose(options) {
    return vscode.window.showWarningMessage(
      untrustedText(options.message),
      { modal: true, detail: shown(options.detail, true) },
      ...options.actions,
    );
  },
  async openDialog(options) {
    return vscode.window.showOpenDialog({
      ...options,
      defaultUri: options.defaultUri ?? workspaceFolder(),
      title: untrustedText(options.title),
    });
  },
  async saveDialog(options) {
    return vscode.window.showSaveDialog({
      ...options,
      defaultUri: options.defaultUri ?? workspaceFolder(),
      title: untrustedText(options.title),
    });
  },
  async notify(severity, message, ...actions) {
    const text = untrustedText(message);
    if (severity === 'error') return vscode.window.showErrorMessage(text, ...actions);
    if (severity === 'warning') return vscode.window.showWarningMessage(text, ...actions);
    return vscode.window.showInformationMessage(text, ...actions);
  },
  async openExternal(url) {
    return vscode.env.openExternal(vscode.Uri.parse(url, true));
  },
};

/** Where a file or folder dialog opens: the workspace, not wherever the last file was (a layout's blobs/). */
function workspaceFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

function shown(text: string | undefined, multiline = false): string | undefined {
  return text === undefined ? undefined : untrustedText(text, { multiline });
}

function shownPickOptions(options: PickOptions): PickOptions {
  return { title: untrustedText(options.title), placeHolder: shown(options.placeHolder) };
}

function shownValidation(
  result: string | vscode.InputBoxValidationMessage | null | undefined,
): string | vscode.InputBoxValidationMessage | null | undefined {
  if (typeof result === 'string') return untrustedText(result);
  return result ? { ...result, message: untrustedText(result.message) } : result;
}

/**
 * Copies of the items with their texts made safe to show (no link, no invisible character, no icon from the
 * text), and the way back to the caller's own item (callers match on identity and read their own fields).
 * Exported so the extension-host tests see what the window is given.
 */
export function pickItemsAsShown<T extends vscode.QuickPickItem>(
  items: readonly T[],
): { copies: vscode.QuickPickItem[]; original: (copy: vscode.QuickPickItem) => T } {
  const originals = new Map<vscode.QuickPickItem, T>();
  const copies = items.map((item) => {
    const copy: vscode.QuickPickItem = {
      ...item,
      label: untrustedLabel(item.label),
      description: item.description === undefined ? undefined : untrustedLabel(item.description),
      detail: item.detail === undefined ? undefined : untrustedLabel(item.detail),
    };
    originals.set(copy, item);
    return copy;
  });
  return { copies, original: (copy) => originals.get(copy)! };
}
