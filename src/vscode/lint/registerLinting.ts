// Everything linting adds to the editor, registered in one place: live diagnostics, quick fixes, hovers and
// the Validate Layout command.
import * as vscode from 'vscode';
import { registerCommands } from '../registerCommands';
import { DocumentLinter } from './DocumentLinter';
import { LintCodeActionProvider } from './LintCodeActionProvider';
import { LintHoverProvider } from './LintHoverProvider';
import { STOWAGE_SCHEME } from '../documents/stowageUri';
import { LayoutValidationResults, validateLayoutCommand, type LayoutTargetArgument } from './validateLayoutCommand';

export const VALIDATE_LAYOUT_COMMAND = 'stowage.lint.validateLayout';

/** Documents the providers serve: JSON anywhere, `stowage:` documents, and layout blobs (no extension, any language). */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'json' },
  { language: 'jsonc' },
  { scheme: STOWAGE_SCHEME },
  { scheme: 'file', pattern: '**/blobs/sha256/*' },
  { scheme: 'file', pattern: '**/blobs/sha512/*' },
  { scheme: 'file', pattern: '**/oci-layout' },
];

export function registerLinting(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): DocumentLinter {
  const linter = new DocumentLinter(log);
  const results = new LayoutValidationResults();
  context.subscriptions.push(
    linter,
    results,
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      new LintCodeActionProvider(linter),
      LintCodeActionProvider.metadata,
    ),
    vscode.languages.registerHoverProvider(SELECTOR, new LintHoverProvider(linter)),
  );
  registerCommands(context, {
    [VALIDATE_LAYOUT_COMMAND]: (folder?: LayoutTargetArgument) => validateLayoutCommand(results, folder),
  });
  return linter;
}
