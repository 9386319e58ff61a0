// "Log In…": username and password (or token) into SecretStorage only; the registry is then reconnected and
// redrawn.
import * as vscode from 'vscode';
import { isErrorNode, isRegistryNode, type TreeNode } from '../tree/nodes';
import { toAbortSignal } from '../abort';
import { notificationProgress } from '../progress';
import type { CommandContext } from './CommandContext';
import { pickRegistry, type RegistryFilter } from './pickers';
import { AuthError } from '../../core/oci';
import type { Credentials } from '../../core/registry';

const USERNAME_HINTS: Record<string, string> = {
  ghcr: 'your GitHub user name',
  dockerhub: 'your Docker ID',
  azure: 'the registry name or a token name',
  ecr: 'AWS',
  gitlab: 'your GitLab user name or a deploy token name',
};

export function login(ctx: CommandContext) {
  return async (node?: TreeNode): Promise<boolean> => {
    const host = await hostOf(ctx, node, 'Log In');
    if (!host) return false;
    const setting = ctx.stores.registrySetting(host);
    const title = `Log In to ${host}`;
    const username = await ctx.prompts().input({
      title,
      prompt: 'Username (leave it empty for an identity token)',
      placeHolder: USERNAME_HINTS[setting.kind ?? ''] ?? 'user name',
      value: setting.kind === 'ecr' ? 'AWS' : undefined,
    });
    if (username === undefined) return false;
    const password = await ctx.prompts().input({
      title,
      prompt: username.trim() ? 'Password or access token' : 'Identity token',
      password: true,
      validateInput: (v) => (v ? undefined : 'Enter a password or token'),
    });
    if (password === undefined) return false;
    // A secret without a user name is an identity (refresh) token, as docker and ORAS read it.
    const credentials = username.trim() ? { username: username.trim(), password } : { identityToken: password };
    if (!(await checkBeforeSaving(ctx, host, credentials))) return false;
    await ctx.secrets.store(host, credentials);
    ctx.log.info(
      `Stored ${credentials.username ? `credentials for ${host} (user ${credentials.username})` : `an identity token for ${host}`} in SecretStorage`,
    );
    ctx.registries.credentialsChanged(host);
    return true;
  };
}

/**
 * The registry must accept the credentials before they are saved: a typo is reported now, not as a login error in
 * the tree later. When the registry cannot be asked (offline, a network fault), the user decides.
 */
async function checkBeforeSaving(ctx: CommandContext, host: string, credentials: Credentials): Promise<boolean> {
  try {
    await vscode.window.withProgress(notificationProgress(`Checking the credentials with ${host}…`), (_p, token) =>
      ctx.stores.checkCredentials(host, credentials, toAbortSignal(token)),
    );
    return true;
  } catch (err) {
    if (err instanceof AuthError) {
      void ctx.prompts().notify('error', err.message);
      return false;
    }
    const save = 'Save Anyway';
    const choice = await ctx
      .prompts()
      .notify('warning', `Could not check the credentials with ${host}: ${(err as Error).message}`, save);
    return choice === save;
  }
}

/** The registry a command runs on: its node's, or one picked (among those `filter` lets through). */
export async function hostOf(
  ctx: CommandContext,
  node: TreeNode | undefined,
  title = 'Choose a registry',
  filter?: RegistryFilter,
): Promise<string | undefined> {
  if (isRegistryNode(node)) return node.setting.host;
  if (isErrorNode(node) && node.host) return node.host;
  if (node && 'store' in node && node.store.kind === 'registry') return node.store.host;
  return (await pickRegistry(ctx, title, filter))?.setting.host;
}
