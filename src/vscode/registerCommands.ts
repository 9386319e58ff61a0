// The one path through which every command is registered, so each is disposed with the extension and each
// failure is reported the same way (once, in words, with its next step) instead of as a raw exception.
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandId } from './commandIds';

export type CommandHandler = (...args: never[]) => unknown;

/** A handler for every command id and for nothing else. */
export type CommandTable = Readonly<Record<CommandId, CommandHandler>>;

/** `subject`: the command's first argument (a tree node when run from a view). */
export type CommandErrorHandler = (commandId: CommandId, error: unknown, subject?: unknown) => void;

export function registerCommands(
  context: vscode.ExtensionContext,
  table: CommandTable,
  onError: CommandErrorHandler,
): void {
  for (const id of COMMAND_IDS) {
    const run = table[id] as (...args: unknown[]) => unknown;
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (error) {
          onError(id, error, args[0]);
          return undefined;
        }
      }),
    );
  }
}
