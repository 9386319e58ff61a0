// Everything linting adds to the editor, registered in one place: live diagnostics, quick fixes, hovers,
// completions, and the results the Validate Layout command publishes (the command itself is in the one command
// table).
import * as vscode from 'vscode';
import type { SbomLinter } from '../../core/lint';
import { DocumentLinter } from './DocumentLinter';
import { LintCodeActionProvider } from './LintCodeActionProvider';
import { LintHoverProvider } from './LintHoverProvider';
import { LintCompletionProvider } from './LintCompletionProvider';
import { STOWAGE_SCHEME } from '../documents/stowageUri';
import { LayoutValidationResults } from './validateLayoutCommand';
import { keepBlobEditorsReadOnly } from './blobEditorsReadOnly';

/** Documents the providers serve: JSON anywhere, `stowage:` documents, and layout blobs (no extension, any language). */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'json' },
  { language: 'jsonc' },
  { scheme: STOWAGE_SCHEME },
  { scheme: 'file', pattern: '**/blobs/sha256/*' },
  { scheme: 'file', pattern: '**/blobs/sha512/*' },
  { scheme: 'file', pattern: '**/oci-layout' },
];

export interface Linting {
  linter: DocumentLinter;
  layoutValidation: LayoutValidationResults;
}

export function registerLinting(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  lintSbom: SbomLinter,
): Linting {
  const linter = new DocumentLinter(log, lintSbom);
  const results = new LayoutValidationResults(linter);
  context.subscriptions.push(
    linter,
    results,
    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      new LintCodeActionProvider(linter),
      LintCodeActionProvider.metadata,
    ),
    vscode.languages.registerHoverProvider(SELECTOR, new LintHoverProvider(linter)),
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      new LintCompletionProvider(),
      ...LintCompletionProvider.triggerCharacters,
    ),
    keepBlobEditorsReadOnly(log),
  );
  return { linter, layoutValidation: results };
}
