// The one typed accessor for Stowage's settings, and the one place that writes them.
import * as vscode from 'vscode';
import { normaliseSettings, type RegistrySetting, type StowageSettings } from './settingsModel';

const SECTION = 'stowage';

export function readSettings(): StowageSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return normaliseSettings({
    registries: config.get('registries'),
    layouts: config.get('layouts'),
    concurrency: config.get('transfer.concurrency'),
    defaultArtifactType: config.get('push.defaultArtifactType'),
    pullSizeCapMiB: config.get('pull.sizeCapMiB'),
    verboseHttpLog: config.get('log.verboseHttp'),
    pageSize: config.get('tree.pageSize'),
    tagOrder: config.get('tree.tagOrder'),
    describeTags: config.get('tree.describeTags'),
    limits: config.get('limits'),
  });
}

/** Calls `listener` when anything under `stowage.` changes, and for nothing else. */
export function onSettingsChanged(
  listener: (settings: StowageSettings, event: vscode.ConfigurationChangeEvent) => void,
): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) listener(readSettings(), event);
  });
}

/** Rewrites the user's registry list: the setting is user-level only (package.json scope "machine"). */
export async function updateRegistries(change: (registries: RegistrySetting[]) => RegistrySetting[]): Promise<void> {
  await updateUserList<RegistrySetting>('registries', change);
}

/**
 * Rewrites a user-level list from the user's own value only. A merged `get()` could carry entries from elsewhere
 * into User settings (a trust list written back with a workspace's signers in it).
 */
export async function updateUserList<T>(key: string, change: (items: T[]) => T[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.inspect<T[]>(key)?.globalValue;
  await config.update(key, change(structuredClone(current ?? [])), vscode.ConfigurationTarget.Global);
}

/** Changes the setting of `host` (added with just its host first when it is not configured yet). */
export async function updateRegistry(host: string, change: (registry: RegistrySetting) => void): Promise<void> {
  await updateRegistries((registries) => {
    let registry = registries.find((r) => r.host === host);
    if (!registry) registries.push((registry = { host }));
    change(registry);
    return registries;
  });
}

export async function updateLayouts(change: (layouts: string[]) => string[]): Promise<void> {
  await updateList<string>('layouts', change);
}

async function updateList<T>(key: string, change: (items: T[]) => T[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<T[]>(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  const current =
    target === vscode.ConfigurationTarget.WorkspaceFolder
      ? inspected?.workspaceFolderValue
      : target === vscode.ConfigurationTarget.Workspace
        ? inspected?.workspaceValue
        : inspected?.globalValue;
  await config.update(key, change(structuredClone(current ?? [])), target);
}
