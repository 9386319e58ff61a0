// The one table through which every command is registered, so each is disposed with the extension.
import * as vscode from 'vscode';

export type CommandTable = Record<string, (...args: never[]) => unknown>;

export function registerCommands(context: vscode.ExtensionContext, table: CommandTable): void {
  for (const [id, handler] of Object.entries(table)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
  }
}
