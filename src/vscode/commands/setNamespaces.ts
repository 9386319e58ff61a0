// "Set Namespaces…": Docker Hub and GHCR have no catalog; naming a namespace (a Docker Hub user or organisation,
// a GitHub user or organisation) lists its repositories through the operator's web API (GHCR needs a login
// with a token that has read:packages). Written to the registry's setting `namespaces`.
import { namespaceApiOf } from '../../core/registry';
import { updateRegistry } from '../settings';
import { isRegistryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickRegistry } from './pickers';

const NAMESPACE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function setNamespaces(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<string[] | undefined> => {
    const host = isRegistryNode(node)
      ? node.setting.host
      : node?.type === 'action' && node.host
        ? node.host
        : (
            await pickRegistry(ctx, 'Set Namespaces', {
              applies: (setting) => namespaceApiOf(setting.host) !== undefined,
              noneApplies: 'Namespaces apply to Docker Hub and ghcr.io only: no configured registry is one of them.',
            })
          )?.setting.host;
    if (!host) return undefined;
    const api = namespaceApiOf(host);
    if (!api) {
      await ctx
        .prompts()
        .notify(
          'info',
          `${host} lists its repositories through its catalog; namespaces apply to Docker Hub and ghcr.io only.`,
        );
      return undefined;
    }
    const current = ctx.settings().registries.find((r) => r.host === host)?.namespaces ?? [];
    const who = api === 'docker-hub' ? 'Docker Hub users or organisations' : 'GitHub users or organisations';
    const answer = await ctx.prompts().input({
      title: `Set Namespaces of ${host}`,
      prompt: `${who} whose repositories to list (comma-separated; empty lists none)`,
      placeHolder: api === 'docker-hub' ? 'library, myorg' : 'myorg',
      value: current.join(', '),
      validateInput: (v) => {
        const bad = split(v).find((n) => !NAMESPACE.test(n));
        return bad ? `"${bad}" is not a user or organisation name` : undefined;
      },
    });
    if (answer === undefined) return undefined;
    const namespaces = split(answer);
    await updateRegistry(host, (registry) => {
      if (namespaces.length) registry.namespaces = namespaces;
      else delete registry.namespaces;
    });
    return namespaces;
  };
}

function split(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
}
