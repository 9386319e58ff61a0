// "Add Registry…": a kind, then only that kind's questions; the registry is appended to `stowage.registries`.
import { answersInPlainHttp, isLoopbackHost } from '../../core/registry';
import { updateRegistries } from '../settings';
import type { RegistrySetting } from '../settingsModel';
import type { CommandContext } from './CommandContext';
import { REGISTRY_KINDS } from './registryKinds';

const TITLE = 'Add Registry';

export function addRegistry(ctx: CommandContext) {
  return async (): Promise<RegistrySetting | undefined> => {
    const spec = await ctx.prompts().pick(
      REGISTRY_KINDS.map((k) => ({ label: k.label, detail: k.detail, spec: k })),
      { title: TITLE, placeHolder: 'Kind of registry' },
    );
    if (!spec) return undefined;
    const answers: Record<string, string> = {};
    for (const question of spec.spec.questions) {
      const answer = await ctx.prompts().input({
        title: `${TITLE}: ${spec.label}`,
        prompt: question.prompt,
        placeHolder: question.placeHolder,
        value: question.value,
        validateInput: (v) => (question.optional && !v.trim() ? undefined : question.validate(v)),
      });
      if (answer === undefined) return undefined;
      answers[question.key] = answer;
    }
    const setting = spec.spec.build(answers);
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
