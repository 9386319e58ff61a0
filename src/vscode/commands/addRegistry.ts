// "Add Registry…": a kind, then only that kind's questions; the registry is appended to `stowage.registries`, then
// called once, so a host that cannot be reached is told while the user still has it in mind.
import * as vscode from 'vscode';
import { OciError, registryId } from '../../core/oci';
import { answersInPlainHttp, isLoopbackHost } from '../../core/registry';
import type { CommandId } from '../commandIds';
import { adviseOn, stepCommand } from '../errorAdvice';
import type { RegistryNode } from '../tree/nodes';
import { updateRegistries } from '../settings';
import type { RegistrySetting } from '../settingsModel';
import type { CommandContext } from './CommandContext';
import { REGISTRY_KINDS, type RegistryKindSpec as RegistryKind } from './registryKinds';
import { runSteps, type Step } from '../multiStep';

const TITLE = 'Add Registry';
/** The most questions a kind asks (after the kind itself). */
const MAX_QUESTIONS = Math.max(...REGISTRY_KINDS.map((k) => k.questions.length));

export function addRegistry(ctx: CommandContext) {
  return async (): Promise<RegistrySetting | undefined> => {
    let kind: RegistryKind | undefined;
    const answers: Record<string, string> = {};
    const kindStep: Step<CommandContext> = {
      // Each kind asks its own number of questions: the total is known once the kind is.
      decidesCount: true,
      ask: async (c) =>
        (kind = (
          await c.prompts().pick(
            REGISTRY_KINDS.map((k) => ({ label: k.label, detail: k.detail, spec: k })),
            { title: TITLE, placeHolder: 'Kind of registry' },
          )
        )?.spec),
    };
    // One step per question of the kind chosen (each kind asks at least one), so Back goes one question back.
    const questionSteps = Array.from({ length: MAX_QUESTIONS }, (_, i): Step<CommandContext> => ({
      when: () => (kind ? i < kind.questions.length : i === 0),
      ask: async (c) => {
        const question = kind!.questions[i]!;
        const answer = await c.prompts().input({
          title: `${TITLE}: ${kind!.label}`,
          prompt: question.prompt,
          placeHolder: question.placeHolder,
          value: question.value,
          validateInput: (v) => (question.optional && !v.trim() ? undefined : question.validate(v)),
        });
        if (answer !== undefined) answers[question.key] = answer;
        return answer;
      },
    }));
    if (!(await runSteps(ctx, [kindStep, ...questionSteps])) || !kind) return undefined;
    const setting = kind.build(answers);
    // A registry on this machine is usually plain HTTP, but a TLS one written down as plain HTTP would only ever
    // say "speaks HTTPS": ask it with one TLS hello, as the command line does for a loopback host.
    if (setting.plainHttp && isLoopbackHost(setting.host) && !(await answersInPlainHttp(setting.host)))
      delete setting.plainHttp;
    if (ctx.settings().registries.some((r) => r.host === setting.host)) {
      await ctx.prompts().notify('info', `${setting.host} is already in the Registries view.`);
      return undefined;
    }
    await updateRegistries((registries) => [...registries, setting]);
    await tellIfUnreachable(ctx, setting);
    return setting;
  };
}

/** How long the first call to a registry just added may take before the user hears it does not answer. */
const REACH_DEADLINE_MS = 10_000;
const REMOVE = 'Remove Registry';

/**
 * A typo in the host ('127.0.0.l'), a registry that is down or one that speaks plain HTTP is told at once, with
 * the fix (Remove Registry, or the step the error calls for), instead of a collapsed row that fails when opened.
 * Only connection failures: a registry that answers, even "log in first", is reachable.
 */
async function tellIfUnreachable(ctx: CommandContext, setting: RegistrySetting): Promise<void> {
  const { host } = setting;
  let advice: { message: string; step?: CommandId; stepLabel?: string };
  const deadline = AbortSignal.timeout(REACH_DEADLINE_MS);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reaching ${host}` }, () =>
      ctx.stores.reach(host, deadline),
    );
    return;
  } catch (error) {
    if (deadline.aborted) advice = { message: `it did not answer within ${REACH_DEADLINE_MS / 1000} s` };
    else if (OciError.is(error, 'NETWORK') || OciError.is(error, 'TLS')) {
      const { message, step, stepLabel } = adviseOn(error);
      advice = { message, step: stepCommand(step), stepLabel };
    } else return;
  }
  const actions = [...(advice.step ? [advice.stepLabel!] : []), REMOVE];
  // Not awaited: the command is done; the warning waits for the user as long as they like.
  void ctx
    .prompts()
    .notify('warning', `Added ${host}, but ${advice.message}.`, ...actions)
    .then(async (choice) => {
      if (choice === REMOVE) await updateRegistries((registries) => registries.filter((r) => r.host !== host));
      else if (choice && advice.step) {
        const node: RegistryNode = { type: 'registry', id: registryId(host), setting };
        await vscode.commands.executeCommand(advice.step, node);
      }
    });
}
