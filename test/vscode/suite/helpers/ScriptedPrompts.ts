// Answers Stowage's questions in the extension-host tests: each expected question is queued with its answer, and
// every question asked (and every notification) is recorded so tests can check what the user was told.
import * as vscode from 'vscode';
import {
  GoBack,
  pickItemsAsShown,
  type InputOptions,
  type StepShown,
  type ChooseOptions,
  type ConfirmOptions,
  type PickOptions,
  type Prompts,
} from '../../../../src/vscode/prompts';

type Kind = 'pick' | 'pickMany' | 'input' | 'confirm' | 'choose' | 'openDialog' | 'saveDialog';

interface Expected {
  kind: Kind;
  answer: (question: Asked) => unknown;
}

export interface Asked {
  kind: Kind;
  title: string;
  prompt?: string;
  items?: readonly vscode.QuickPickItem[];
  /** The items as the window would be given them (windowPrompts' own conversion): what the user would read. */
  shown?: readonly vscode.QuickPickItem[];
  confirm?: ConfirmOptions;
  choose?: ChooseOptions;
  /** For inputs: what the box is pre-filled with, its placeholder, and what it says of a value (undefined: fine). */
  value?: string;
  placeHolder?: string;
  validate?: (value: string) => Promise<string | undefined>;
  /** For save dialogs: the file it proposed. */
  defaultUri?: vscode.Uri;
  /** In a multi-step flow: its step, the steps in all, and whether it offers Back. */
  step?: StepShown;
  /** For picks: the labels highlighted or checked when it opens (an earlier answer, after Back). */
  activeLabels?: readonly string[];
}

export class ScriptedPrompts implements Prompts {
  private readonly expected: Expected[] = [];
  readonly asked: Asked[] = [];
  readonly notifications: { severity: string; message: string; actions: string[] }[] = [];
  /** The quick words of success (`done`: the status bar). */
  readonly doneMessages: string[] = [];
  /**
   * Quick picks without a title or a placeholder, inputs without a title or a prompt: a screen reader announces the
   * title and the placeholder or prompt, and nothing else says what to pick or type.
   */
  readonly unclear: string[] = [];
  readonly unexpected: string[] = [];
  /** Pages the command asked the browser to open (none is opened). */
  readonly opened: string[] = [];
  /** The action pressed on any notification that offers it (notifications are otherwise dismissed). */
  private notificationAction?: string;

  thenInput(answer: string | undefined): this {
    return this.expect('input', () => answer);
  }

  thenPick(labelIncludes: string): this {
    return this.expect('pick', (q) => {
      const found = q.items?.find((item) => item.label.includes(labelIncludes));
      if (!found)
        throw new Error(`no item containing "${labelIncludes}" among ${JSON.stringify(q.items?.map((i) => i.label))}`);
      return found;
    });
  }

  /** Picks the items whose labels are exactly `labelsPicked` (fails listing the items offered). */
  thenPickMany(labelsPicked: string[]): this {
    return this.expect('pickMany', (q) => {
      const found = q.items?.filter((item) => labelsPicked.includes(item.label)) ?? [];
      if (found.length !== labelsPicked.length)
        throw new Error(
          `not all of ${JSON.stringify(labelsPicked)} among ${JSON.stringify(q.items?.map((i) => i.label))}`,
        );
      return found;
    });
  }

  /** Presses Back on the next question, which must be of `kind` and offer Back (fails otherwise). */
  thenBack(kind: 'pick' | 'pickMany' | 'input'): this {
    return this.expect(kind, (q) => {
      if (!q.step?.back) throw new Error(`"${q.title}" offers no Back button`);
      throw new GoBack();
    });
  }

  /** Accepts what the next question offers as it opens: an input's value, a pick's highlighted item (Enter). */
  thenKeep(kind: 'pick' | 'input'): this {
    return this.expect(kind, (q) => {
      if (kind === 'input') return q.value ?? '';
      const found = q.items?.find((item) => q.activeLabels?.includes(item.label));
      if (!found) throw new Error(`"${q.title}" highlights no item`);
      return found;
    });
  }

  /** Dismisses the next question, which must be of `kind` (Escape on a pick, a dialog closed). */
  thenDismiss(kind: Kind): this {
    return this.expect(kind, () => undefined);
  }

  thenConfirm(answer: boolean): this {
    return this.expect('confirm', () => answer);
  }

  /** Answers the confirmation once `meanwhile` has run: what changes while the question is open. */
  thenConfirmAfter(meanwhile: () => Promise<unknown>, answer: boolean): this {
    return this.expect('confirm', async () => {
      await meanwhile();
      return answer;
    });
  }

  /** Presses the modal's button labelled exactly `action` (fails listing the buttons offered); undefined cancels. */
  thenChoose(action: string | undefined): this {
    return this.expect('choose', (q) => {
      if (action !== undefined && !q.choose?.actions.includes(action))
        throw new Error(`no button "${action}" among ${JSON.stringify(q.choose?.actions)}`);
      return action;
    });
  }

  /** Presses `action` on the modal once `meanwhile` has run: what changes while the question is open. */
  thenChooseAfter(meanwhile: () => Promise<unknown>, action: string): this {
    return this.expect('choose', async (q) => {
      if (!q.choose?.actions.includes(action))
        throw new Error(`no button "${action}" among ${JSON.stringify(q.choose?.actions)}`);
      await meanwhile();
      return action;
    });
  }

  pressingInNotifications(action: string): this {
    this.notificationAction = action;
    return this;
  }

  thenFolder(fsPath: string): this {
    return this.expect('openDialog', () => [vscode.Uri.file(fsPath)]);
  }

  /** Answers a save dialog with `fsPath` (what the user typed or chose); undefined cancels. */
  thenSaveTo(fsPath: string | undefined): this {
    return this.expect('saveDialog', () => (fsPath === undefined ? undefined : vscode.Uri.file(fsPath)));
  }

  /**
   * Each question's step as its title shows it ("2/4", or "2" while the total is not known yet); "" for a question
   * outside a multi-step flow.
   */
  get stepsShown(): string[] {
    return this.asked.map((q) =>
      q.step?.step !== undefined
        ? q.step.totalSteps !== undefined
          ? `${q.step.step}/${q.step.totalSteps}`
          : `${q.step.step}`
        : q.step?.back
          ? 'back'
          : '',
    );
  }

  /** Questions queued but never asked. */
  get remaining(): number {
    return this.expected.length;
  }

  private checkSaysWhat(kind: Kind, title: string | undefined, question: string | undefined): void {
    if (!title?.trim() || !question?.trim())
      this.unclear.push(`${kind} titled ${JSON.stringify(title)} asking ${JSON.stringify(question)}`);
  }

  private expect(kind: Kind, answer: (q: Asked) => unknown): this {
    this.expected.push({ kind, answer });
    return this;
  }

  private answer<T>(question: Asked): T | undefined {
    this.asked.push(question);
    const next = this.expected.shift();
    if (!next || next.kind !== question.kind) {
      this.unexpected.push(
        `${question.kind} "${question.title}${question.prompt ? `: ${question.prompt}` : ''}" (expected ${next?.kind ?? 'nothing'})`,
      );
      return undefined;
    }
    return next.answer(question) as T;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    this.checkSaysWhat('pick', options.title, options.placeHolder);
    const shown = pickItemsAsShown(items).copies;
    return this.answer<T>({
      kind: 'pick',
      title: options.title,
      prompt: options.placeHolder,
      items,
      shown,
      ...steps(options),
    });
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    this.checkSaysWhat('pickMany', options.title, options.placeHolder);
    const shown = pickItemsAsShown(items).copies;
    return this.answer<T[]>({
      kind: 'pickMany',
      title: options.title,
      prompt: options.placeHolder,
      items,
      shown,
      ...steps(options),
    });
  }

  async input(options: InputOptions): Promise<string | undefined> {
    this.checkSaysWhat('input', options.title, options.prompt);
    const validate = async (v: string): Promise<string | undefined> => {
      const problem = await options.validateInput?.(v);
      return typeof problem === 'string' ? problem : (problem?.message ?? undefined);
    };
    const value = this.answer<string>({
      kind: 'input',
      title: options.title,
      prompt: options.prompt,
      value: options.value,
      placeHolder: options.placeHolder,
      validate,
      step: options.step,
    });
    // The answer must pass the same validation the input box applies.
    const problem = value !== undefined ? await validate(value) : undefined;
    if (problem) throw new Error(`answer "${value}" to "${options.prompt}" is refused: ${problem}`);
    return value;
  }

  async confirm(options: ConfirmOptions): Promise<boolean> {
    return this.answer<boolean>({ kind: 'confirm', title: options.message, confirm: options }) ?? false;
  }

  async choose(options: ChooseOptions): Promise<string | undefined> {
    return this.answer<string>({ kind: 'choose', title: options.message, choose: options });
  }

  async openExternal(url: string): Promise<boolean> {
    this.opened.push(url);
    return true;
  }

  async openDialog(options: vscode.OpenDialogOptions & { title: string }): Promise<vscode.Uri[] | undefined> {
    return this.answer<vscode.Uri[]>({ kind: 'openDialog', title: options.title, defaultUri: options.defaultUri });
  }

  async saveDialog(options: vscode.SaveDialogOptions & { title: string }): Promise<vscode.Uri | undefined> {
    return this.answer<vscode.Uri>({ kind: 'saveDialog', title: options.title, defaultUri: options.defaultUri });
  }

  async notify(
    severity: 'info' | 'warning' | 'error',
    message: string,
    ...actions: string[]
  ): Promise<string | undefined> {
    this.notifications.push({ severity, message, actions });
    return this.notificationAction !== undefined && actions.includes(this.notificationAction)
      ? this.notificationAction
      : undefined;
  }

  done(message: string): void {
    this.doneMessages.push(message);
  }
}

function steps(options: PickOptions): Pick<Asked, 'step' | 'activeLabels'> {
  return { step: options.step, activeLabels: options.activeLabels };
}
