// "Log In…": username and password (or token) into SecretStorage only; the registry is then reconnected and
// redrawn.
import { isErrorNode, isRegistryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './CommandContext';
import { pickRegistry } from './pickers';

const USERNAME_HINTS: Record<string, string> = {
  ghcr: 'your GitHub user name',
  dockerhub: 'your Docker ID',
  azure: 'the registry name or a token name',
  ecr: 'AWS',
  gitlab: 'your GitLab user name or a deploy token name',
};

export function login(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const host = await hostOf(ctx, node);
    if (!host) return false;
    const setting = ctx.stores.registrySetting(host);
    const title = `Log In to ${host}`;
    const username = await ctx.prompts().input({
      title,
      prompt: 'Username',
      placeHolder: USERNAME_HINTS[setting.kind ?? ''] ?? 'user name',
      value: setting.kind === 'ecr' ? 'AWS' : undefined,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a user name'),
    });
    if (username === undefined) return false;
    const password = await ctx.prompts().input({
      title,
      prompt: 'Password or access token',
      password: true,
      validateInput: (v) => (v ? undefined : 'Enter a password or token'),
    });
    if (password === undefined) return false;
    await ctx.secrets.store(host, { username: username.trim(), password });
    ctx.log.info(`Stored credentials for ${host} (user ${username.trim()}) in SecretStorage`);
    ctx.registries.credentialsChanged(host);
    return true;
  };
}

export async function hostOf(ctx: CommandContext, node: TreeNode | undefined): Promise<string | undefined> {
  if (isRegistryNode(node)) return node.setting.host;
  if (isErrorNode(node) && node.host) return node.host;
  if (node && 'store' in node && node.store.kind === 'registry') return node.store.host;
  return (await pickRegistry(ctx, 'Choose a registry'))?.setting.host;
}
