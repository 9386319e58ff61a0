// The one table through which every command is registered, so each is disposed with the extension and each
// failure is reported the same way (once, in words, with its next step) instead of as a raw exception.
import * as vscode from 'vscode';

export type CommandTable = Record<string, (...args: never[]) => unknown>;

export type CommandErrorHandler = (commandId: string, error: unknown) => void;

export function registerCommands(
  context: vscode.ExtensionContext,
  table: CommandTable,
  onError?: CommandErrorHandler,
): void {
  for (const [id, handler] of Object.entries(table)) {
    const run = handler as (...args: unknown[]) => unknown;
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (error) {
          if (!onError) throw error;
          onError(id, error);
          return undefined;
        }
      }),
    );
  }
}
