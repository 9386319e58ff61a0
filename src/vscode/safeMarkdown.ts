// The one way Stowage makes markdown for the editor (hovers): never trusted (command links do not run), no HTML.
// Untrusted parts go into it only through `untrustedCode` or `untrustedMarkdown` (src/core/untrustedText.ts),
// which make them plain text whatever they hold; a lint rule keeps `new vscode.MarkdownString` to this file.
import * as vscode from 'vscode';

export function safeMarkdown(options: { themeIcons?: boolean } = {}): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString('', options.themeIcons ?? false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
