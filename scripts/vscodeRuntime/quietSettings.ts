// User settings that keep the workbench free of welcome pages, tips, AI panels and update checks, so that what a
// test or a demo sees is Stowage and not VS Code's onboarding.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

export function writeQuietUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...QUIET_USER_SETTINGS, ...extra }, null, 2));
}

/**
 * Settings of scope "machine" (Stowage's registries and trust) in a remote window, which code-server's workbench is:
 * VS Code applies them from the remote machine's settings only, never from User settings there (written to User
 * settings, they applied or not depending on which loaded first).
 */
export function writeMachineSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const machineDir = path.join(userDataDir, 'Machine');
  fs.mkdirSync(machineDir, { recursive: true });
  fs.writeFileSync(path.join(machineDir, 'settings.json'), JSON.stringify(settings, null, 2));
}
