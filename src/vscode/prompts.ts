// Every question Stowage asks goes through `Prompts`, so commands read the same from the palette, from menus
// and from the extension-host tests (which answer through a scripted implementation of this interface).
// `windowPrompts` is the only code that calls the window's message, modal, pick and input APIs (a lint rule says
// so), and it passes every text it shows through `untrustedText`: a registry's words can never become a link.
// Quick pick items go through `untrustedLabel` too: their texts render `$(name)` as an icon, so a tag named
// "$(warning) trusted" would otherwise show a warning icon; Stowage's own icons are given as `iconPath`.
import * as vscode from 'vscode';
import { untrustedLabel, untrustedText } from '../core/oci';

/**
 * Where a question stands in a multi-step flow (multiStep.ts): shown as "Title (2/4)", with a Back button; as
 * "Title (2)" while an answer still to come decides how many questions there are.
 */
export interface StepShown {
  /** Absent for a follow-up question in a flow of one question: Back without "(1/1)". */
  step?: number;
  totalSteps?: number;
  /** Offers the Back button: pressing it rejects the question with GoBack. */
  back: boolean;
}

/** Rejects a question whose Back button was pressed; multiStep.ts goes to the question before. */
export class GoBack extends Error {
  constructor() {
    super('Back');
    this.name = 'GoBack';
  }
}

/** Told by name: the extension-host tests' scripted prompts throw their own copy of the class. */
export function isGoBack(error: unknown): boolean {
  return error instanceof Error && error.name === 'GoBack';
}

export interface PickOptions {
  title: string;
  placeHolder?: string;
  step?: StepShown;
  /** Labels of the items highlighted (one) or already checked (pickMany) when the pick opens: an earlier answer. */
  activeLabels?: readonly string[];
}

export type InputOptions = vscode.InputBoxOptions & { title: string; step?: StepShown };

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
  input(options: InputOptions): Promise<string | undefined>;
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
  /**
   * A quick word that a small action worked (copied, added to the view): in the status bar for a few seconds, as
   * VS Code's own; with a screen reader on (`editor.accessibilitySupport`), also a notification, which it announces
   * (the status bar is not read out).
   */
  done(message: string): void;
}

/** How long `done` shows its word in the status bar. */
export const DONE_MESSAGE_MS = 5000;

export const windowPrompts: Prompts = {
  async pick(items, options) {
    const { copies, original } = pickItemsAsShown(items);
    const chosen = options.step
      ? (await showPick(copies, options, false))?.[0]
      : await vscode.window.showQuickPick(copies, { ...shownPickOptions(options), ignoreFocusOut: true });
    return chosen && original(chosen);
  },
  async pickMany(items, options) {
    const { copies, original } = pickItemsAsShown(items);
    const chosen = options.step
      ? await showPick(copies, options, true)
      : await vscode.window.showQuickPick(copies, {
          ...shownPickOptions(options),
          ignoreFocusOut: true,
          canPickMany: true,
        });
    return chosen?.map(original);
  },
  async input(options) {
    if (options.step) return showInput(options);
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
  done(message) {
    const text = untrustedText(message);
    vscode.window.setStatusBarMessage(`$(check) ${text}`, DONE_MESSAGE_MS);
    if (vscode.workspace.getConfiguration('editor').get('accessibilitySupport') === 'on')
      void vscode.window.showInformationMessage(text);
  },
};

/** Where a file or folder dialog opens: the workspace, not wherever the last file was (a layout's blobs/). */
function workspaceFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

function shown(text: string | undefined, multiline = false): string | undefined {
  return text === undefined ? undefined : untrustedText(text, { multiline });
}

/** A question outside a multi-step flow is shown as before: showQuickPick's options, made safe. */
function shownPickOptions(options: PickOptions): vscode.QuickPickOptions {
  return { title: untrustedText(options.title), placeHolder: shown(options.placeHolder) };
}

/**
 * A quick pick in a multi-step flow (created, not shown with showQuickPick: only a created one shows a step and a
 * Back button). Resolves
 * with the items accepted, undefined when dismissed; rejects with GoBack when Back was pressed.
 */
function showPick(
  items: vscode.QuickPickItem[],
  options: PickOptions,
  many: boolean,
): Promise<readonly vscode.QuickPickItem[] | undefined> {
  const pick = vscode.window.createQuickPick();
  pick.title = untrustedText(options.title);
  pick.placeholder = shown(options.placeHolder);
  pick.ignoreFocusOut = true;
  pick.canSelectMany = many;
  pick.items = items;
  const earlier = items.filter((item) => options.activeLabels?.includes(item.label));
  if (earlier.length) {
    if (many) pick.selectedItems = earlier;
    else pick.activeItems = earlier.slice(0, 1);
  }
  showStep(pick, options.step);
  return settle(pick, (resolve) => {
    const accepted = pick.onDidAccept(() => {
      const chosen = many ? pick.selectedItems : pick.activeItems.slice(0, 1);
      if (!many && !chosen.length) return; // nothing matches the filter: Enter does nothing, as in showQuickPick
      resolve(chosen);
    });
    // A click on a row selects it without making it the active one: a single pick takes what was clicked.
    const clicked = pick.onDidChangeSelection((selected) => {
      if (!many && selected.length) resolve(selected.slice(0, 1));
    });
    return vscode.Disposable.from(accepted, clicked);
  });
}

/** An input box that validates as showInputBox does (every change, and again on Enter). */
function showInput(options: InputOptions): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = untrustedText(options.title);
  box.prompt = shown(options.prompt);
  box.placeholder = shown(options.placeHolder);
  box.value = options.value ?? '';
  if (options.valueSelection) box.valueSelection = options.valueSelection;
  box.password = options.password ?? false;
  box.ignoreFocusOut = true;
  showStep(box, options.step);
  const problemOf = async (value: string) => shownValidation(await options.validateInput?.(value));
  let checked = 0;
  const check = async (value: string) => {
    const mine = ++checked;
    const problem = await problemOf(value);
    if (mine === checked) box.validationMessage = problem ?? undefined;
    return problem;
  };
  const changes = box.onDidChangeValue((value) => void check(value));
  // An empty box keeps its prompt in view until something is typed; a value kept from before is checked at once.
  if (box.value) void check(box.value);
  return settle<string>(box, (resolve) =>
    box.onDidAccept(async () => {
      const value = box.value;
      if (!(await check(value))) resolve(value);
    }),
  ).finally(() => changes.dispose());
}

function showStep(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, step?: StepShown) {
  if (!step) return;
  input.step = step.step;
  input.totalSteps = step.totalSteps;
  input.buttons = step.back ? [vscode.QuickInputButtons.Back] : [];
}

/**
 * Shows `input` until it is answered (`accepting` calls resolve), dismissed (undefined) or Back is pressed (GoBack),
 * then disposes it.
 */
function settle<T>(
  input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
  accepting: (resolve: (value: T) => void) => vscode.Disposable,
): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      for (const listener of listeners) listener.dispose();
      input.dispose(); // hides it too
    };
    const listeners = [
      accepting((value) => finish(() => resolve(value))),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => reject(new GoBack()));
      }),
      input.onDidHide(() => finish(() => resolve(undefined))),
    ];
    input.show();
  });
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
