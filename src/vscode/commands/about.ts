// "About Stowage": the version, in a notification and the log; returns it (the tests read it).
import type * as vscode from 'vscode';
import { windowPrompts } from '../prompts';

export function about(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
  return async (): Promise<string> => {
    const version = String(extension.extension.packageJSON.version);
    const message = `Stowage ${version} — OCI artifacts in registries and image layouts.`;
    log.info(message);
    void windowPrompts.notify('info', message);
    return version;
  };
}
