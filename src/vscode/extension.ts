// Extension entry: wires the views and registers every command. Thin: the work happens in src/core.
import * as vscode from 'vscode';
import { registerLinting } from './lint/registerLinting';
import { registerCommands } from './registerCommands';
import { EmptyTreeProvider } from './views/EmptyTreeProvider';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Stowage', { log: true });
  context.subscriptions.push(log);

  const registries = new EmptyTreeProvider();
  const layouts = new EmptyTreeProvider();
  context.subscriptions.push(
    vscode.window.createTreeView('stowage.registries', { treeDataProvider: registries, showCollapseAll: true }),
    vscode.window.createTreeView('stowage.layouts', { treeDataProvider: layouts, showCollapseAll: true }),
  );

  registerCommands(context, {
    'stowage.registries.refresh': () => registries.refresh(),
    'stowage.layouts.refresh': () => layouts.refresh(),
    'stowage.about': () => showAbout(context, log),
  });
  registerLinting(context, log);
  log.info('Stowage activated');
}

export function deactivate(): void {
  // Subscriptions are disposed by VS Code.
}

async function showAbout(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<string> {
  const version = String(context.extension.packageJSON.version);
  const message = `Stowage ${version} — OCI artifacts in registries and image layouts.`;
  log.info(message);
  void vscode.window.showInformationMessage(message);
  return version;
}
