// "Add Registry…": a kind, then only that kind's questions; the registry is appended to `stowage.registries`.
import { answersInPlainHttp, isLoopbackHost } from '../../core/registry';
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
    return setting;
  };
}
