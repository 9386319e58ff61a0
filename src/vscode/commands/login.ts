// "Log In…": username and password (or token) into SecretStorage only; the registry is then reconnected and
// redrawn.
import * as vscode from 'vscode';
import { isErrorNode, isRegistryNode, type TreeNode } from '../tree/nodes';
import { toAbortSignal } from '../abort';
import { notificationProgress } from '../progress';
import type { CommandContext } from './CommandContext';
import { runSteps } from '../multiStep';
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
    // A refused login asks again, the user name kept and the registry's answer above it: no starting over.
    let refused: string | undefined;
    let typed: string | undefined;
    let credentials: Credentials;
    for (;;) {
      let username: string | undefined;
      let password: string | undefined;
      const answered = await runSteps(ctx, [
        {
          ask: async (c) =>
            (username = await c.prompts().input({
              title,
              prompt: `${refused ? `${refused}. Try again. ` : ''}Username (leave it empty for an identity token)`,
              placeHolder: USERNAME_HINTS[setting.kind ?? ''] ?? 'user name',
              value: typed ?? (setting.kind === 'ecr' ? 'AWS' : undefined),
            })),
        },
        {
          ask: async (c) =>
            (password = await c.prompts().input({
              title,
              prompt: username!.trim() ? 'Password or access token' : 'Identity token',
              password: true,
              validateInput: (v) => (v ? undefined : 'Enter a password or token'),
            })),
        },
      ]);
      if (!answered || username === undefined || password === undefined) return false;
      // A secret without a user name is an identity (refresh) token, as docker and ORAS read it.
      credentials = username.trim() ? { username: username.trim(), password } : { identityToken: password };
      const checked = await checkBeforeSaving(ctx, host, credentials);
      if (checked === true) break;
      if (checked === false) return false;
      refused = checked.refused;
      typed = username;
    }
    await ctx.secrets.store(host, credentials);
    ctx.log.info(
      `Stored ${credentials.username ? `credentials for ${host} (user ${credentials.username})` : `an identity token for ${host}`} in SecretStorage`,
    );
    ctx.registries.credentialsChanged(host);
    // Said, not only redrawn: a screen reader user hears nothing of a tree row that changes out of sight.
    void ctx
      .prompts()
      .notify(
        'info',
        `Logged in to ${host}${credentials.username ? ` as ${credentials.username}` : ' with an identity token'}; the credentials are kept in VS Code's secret storage.`,
      );
    return true;
  };
}

/**
 * The registry must accept the credentials before they are saved: a typo is reported now (`refused`, for the login
 * to ask again), not as a login error in the tree later. When the registry cannot be asked (offline, a network
 * fault), the user decides (true: save, false: give up).
 */
async function checkBeforeSaving(
  ctx: CommandContext,
  host: string,
  credentials: Credentials,
): Promise<boolean | { refused: string }> {
  try {
    await vscode.window.withProgress(notificationProgress(`Checking the credentials with ${host}…`), (_p, token) =>
      ctx.stores.checkCredentials(host, credentials, toAbortSignal(token)),
    );
    return true;
  } catch (err) {
    if (err instanceof AuthError) {
      ctx.log.warn(err.message);
      return { refused: err.message };
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
