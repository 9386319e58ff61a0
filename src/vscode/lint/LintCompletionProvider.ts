// Completions for OCI documents written by hand: the engine's completionsAt, as VS Code items. The text is the
// user's own document; the items are Stowage's fixed lists (well-known media types, the empty descriptor).
import * as vscode from 'vscode';
import { completionsAt } from '../../core/lint';

export class LintCompletionProvider implements vscode.CompletionItemProvider {
  /** `"` opens a media type value; `:` and `[` open a config or a layer. */
  static readonly triggerCharacters = ['"', ':', '['];

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const completions = completionsAt(document.getText(), document.offsetAt(position));
    return completions.map((completion) => {
      const item = new vscode.CompletionItem(
        completion.label,
        completion.kind === 'descriptor' ? vscode.CompletionItemKind.Snippet : vscode.CompletionItemKind.Value,
      );
      item.detail = completion.detail;
      item.insertText = completion.insertText;
      // VS Code matches what is typed against the replaced range, quote included.
      item.filterText = completion.insertText;
      item.range = new vscode.Range(
        document.positionAt(completion.offset),
        document.positionAt(completion.offset + completion.length),
      );
      item.sortText = `${completion.rank.toString().padStart(3, '0')}${completion.label}`;
      return item;
    });
  }
}
