// Multi-step flows (Push as Artifact…, Copy To…, Attach File…): each question shows where it stands ("Copy To
// (2/3)") and, after the first, a Back button that asks the question before again with the earlier answer as its
// default; Escape ends the whole flow with nothing done. Steps are plain functions that ask through the context's
// prompts (the shared pickers included), so the numbering, Back and the kept answers are done here once, by
// wrapping those prompts, and work the same for the window and for the tests' scripted prompts.
//
// A total never goes down and up again: while a step whose answer may take questions out or decide how many there
// are (a typed destination may name the tag; the kind of registry; a typed artifact that may be an index) is still
// to be answered, the questions show their number alone ("Copy To (2)"), as VS Code shows a step without a total;
// from then on the total is known. A question that an item asks for ("Other…", "Repository in …", "Type a
// reference…", "Sign with a local key…" and its passphrase) is part of the step that offered the item: it shows that
// step's number and the total stays as it was, so picking it, or going Back and picking another item, changes no
// total.
import type { CommandContext } from './commands/CommandContext';
import { isGoBack, type InputOptions, type PickOptions, type Prompts, type StepShown } from './prompts';

export interface Step<C extends CommandContext> {
  /**
   * Asks this step's questions through `ctx.prompts()` and keeps the answer (in the flow's own variables);
   * resolves undefined when the user ended the flow (Escape, a dialog closed, a modal cancelled).
   */
  ask: (ctx: C) => Promise<unknown>;
  /**
   * Whether the step is asked, given the answers so far (absent: always). Keeps the count of steps honest. Read
   * while earlier questions are numbered too, so it must hold before the answers it reads exist.
   */
  when?: () => boolean;
  /**
   * How many numbered questions it shows (absent: 1; 0 for a step of dialogs or modals only). One that an item asks
   * for ("Other…" and its input) takes no number of its own: it shows the number of the last of these.
   */
  questions?: number;
  /**
   * Its answers decide how many steps are asked (the kind of registry, a typed reference that names the tag): no
   * total is shown until it is answered.
   */
  decidesCount?: boolean;
}

/** What a quick pick or input (told apart by its title and question) was answered with, offered again on Back. */
interface Answer {
  question: string;
  labels?: string[];
  value?: string;
}

/** Runs `steps` in order; true when every asked step was answered, false when the user ended the flow. */
export async function runSteps<C extends CommandContext>(ctx: C, steps: readonly Step<C>[]): Promise<boolean> {
  const answers = new Map<number, Answer[]>(); // by step index: the latest answers of its questions, in order
  const done: { index: number; shown: number }[] = []; // the steps answered, and how many questions each showed
  let index = 0;
  while (index < steps.length) {
    const step = steps[index]!;
    if (step.when && !step.when()) {
      index++;
      continue;
    }
    const numberedBefore = done.reduce((sum, d) => sum + numbered(steps[d.index]!, d.shown), 0);
    const earlier = answers.get(index) ?? [];
    const now: Answer[] = [];
    const expected = (i: number) => {
      const shown = answers.get(i)?.length;
      return shown ? numbered(steps[i]!, shown) : (steps[i]!.questions ?? 1);
    };
    const asked = (s: Step<C>) => !s.when || s.when();
    const position = (): StepShown | undefined => {
      // Questions past the step's own share the number of its last: they were asked for by an item of it.
      const own = Math.max(step.questions ?? 1, 1);
      const stepNumber = numberedBefore + Math.min(now.length, own - 1) + 1;
      const back = done.some((d) => d.shown > 0) || now.length > 0;
      if (steps.slice(index).some((s) => s.decidesCount && asked(s))) return { step: stepNumber, back };
      const later = steps.slice(index + 1).reduce((sum, s, k) => sum + (asked(s) ? expected(index + 1 + k) : 0), 0);
      const totalSteps = numberedBefore + Math.max(own, expected(index)) + later;
      // A flow that asks one question only (Add Tag… on a tag) is no multi-step flow: "(1/1)" says nothing. Its
      // follow-up question ("Type a reference…") still offers Back, with no number.
      if (totalSteps === 1) return back ? { back } : undefined;
      return { step: stepNumber, totalSteps, back };
    };
    const prompts = steppedPrompts(ctx.prompts(), position, (j) => earlier[j], now);
    try {
      const answered = await step.ask({ ...ctx, prompts: () => prompts });
      answers.set(index, now);
      if (answered === undefined) return false;
      done.push({ index, shown: now.length });
      index++;
    } catch (error) {
      if (!isGoBack(error)) throw error;
      // Back on a later question of this step asks its first again; on its first, the last step that asked one.
      answers.set(index, [...now, ...earlier.slice(now.length)]);
      if (now.length > 0) continue;
      let previous = done.pop();
      while (previous && previous.shown === 0) previous = done.pop();
      // Nothing here to go back to: the flow this one was asked from goes back (asking again would trap the user).
      if (!previous) throw error;
      index = previous.index;
    }
  }
  return true;
}

/**
 * `prompts` with each quick pick and input numbered by `position`, pre-set with the answer its j-th question had
 * last time (`earlier(j)`, when it is the same question), and its answer recorded in `now`. Dialogs, modals and
 * notifications pass through.
 */
/** How many numbers a step takes: its own questions, those an item asked for included in the last of them. */
function numbered(step: { questions?: number }, shown: number): number {
  return Math.min(shown, Math.max(step.questions ?? 1, 1));
}

function steppedPrompts(
  prompts: Prompts,
  position: () => StepShown | undefined,
  earlier: (j: number) => Answer | undefined,
  now: Answer[],
): Prompts {
  const before = (question: string) => {
    const answer = earlier(now.length);
    return answer?.question === question ? answer : undefined;
  };
  const pickOptions = (options: PickOptions): PickOptions => {
    const labels = before(pickQuestion(options))?.labels;
    const step = position();
    return { ...options, ...(step ? { step } : {}), ...(labels ? { activeLabels: labels } : {}) };
  };
  return {
    pick: async (items, options) => {
      const chosen = await prompts.pick(items, pickOptions(options));
      if (chosen) now.push({ question: pickQuestion(options), labels: [chosen.label] });
      return chosen;
    },
    pickMany: async (items, options) => {
      const chosen = await prompts.pickMany(items, pickOptions(options));
      if (chosen) now.push({ question: pickQuestion(options), labels: chosen.map((c) => c.label) });
      return chosen;
    },
    input: async (options: InputOptions) => {
      const question = inputQuestion(options);
      const value = before(question)?.value;
      const step = position();
      const typed = await prompts.input({
        ...options,
        ...(step ? { step } : {}),
        ...(value !== undefined ? { value } : {}),
      });
      if (typed !== undefined) now.push({ question, value: typed });
      return typed;
    },
    confirm: (options) => prompts.confirm(options),
    choose: (options) => prompts.choose(options),
    openDialog: (options) => prompts.openDialog(options),
    saveDialog: (options) => prompts.saveDialog(options),
    notify: (severity, message, ...actions) => prompts.notify(severity, message, ...actions),
    openExternal: (url) => prompts.openExternal(url),
    done: (message) => prompts.done(message),
  };
}

function pickQuestion(options: PickOptions): string {
  return `pick|${options.title}|${options.placeHolder ?? ''}`;
}

function inputQuestion(options: InputOptions): string {
  return `input|${options.title}|${options.prompt ?? ''}`;
}
