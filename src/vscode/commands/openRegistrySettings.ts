// "Open Settings" on the Registries welcome and in the palette: the settings editor on `stowage.registries`. It is a
// machine setting, so in a remote window (code-server, SSH, containers) it lives under the Remote tab; the User tab
// that the plain command opens would say "No Settings Found".
import * as vscode from 'vscode';

const QUERY = 'stowage.registries';

export function openRegistrySettings() {
  return async (): Promise<void> => {
    if (vscode.env.remoteName)
      await vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query: QUERY });
    else await vscode.commands.executeCommand('workbench.action.openSettings', QUERY);
  };
}
