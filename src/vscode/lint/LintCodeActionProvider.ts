// Quick fixes: the linter's own fix edits, plus, in an image layout, the size or digest taken from the blob
// that is actually stored there.
import * as vscode from 'vscode';
import type { Fix, Problem } from '../../core/lint';
import { isDigest } from '../../core/oci';
import { sameProblem } from './diagnostics';
import type { DocumentLinter, LintedDocument } from './DocumentLinter';

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly linter: DocumentLinter) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const linted = this.linter.resultFor(document);
    if (!linted) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const problem = linted.problems.find((p) => sameProblem(diagnostic, document, p));
      if (!problem) continue;
      if (problem.fix) actions.push(this.action(document, problem.fix, diagnostic, true));
      const fromBlob = await this.fixFromLocalBlob(document, linted, problem);
      if (fromBlob) actions.push(this.action(document, fromBlob, diagnostic, !problem.fix));
    }
    return actions;
  }

  private action(
    document: vscode.TextDocument,
    fix: Fix,
    diagnostic: vscode.Diagnostic,
    preferred: boolean,
  ): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of fix.edits) {
      const range = new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length));
      action.edit.replace(document.uri, range, edit.newText);
    }
    action.diagnostics = [diagnostic];
    action.isPreferred = preferred;
    return action;
  }

  /** The stored blob's size for a size mismatch; its real digest for a digest mismatch, when stored under it too. */
  private async fixFromLocalBlob(
    document: vscode.TextDocument,
    linted: LintedDocument,
    problem: Problem,
  ): Promise<Fix | undefined> {
    const layout = linted.target.layout;
    if (!layout || (problem.code !== 'blob-size-mismatch' && problem.code !== 'blob-digest-mismatch')) return undefined;
    const digest = valueAt(document.getText(), [...problem.path.slice(0, -1), 'digest']);
    if (typeof digest !== 'string' || !isDigest(digest)) return undefined;
    const store = this.linter.storeFor(layout.root);
    const replace = (newText: string) => [{ offset: problem.offset, length: problem.length, newText }];
    if (problem.code === 'blob-size-mismatch') {
      const size = await store.blobSize(digest);
      return size === undefined
        ? undefined
        : { title: `Set size to ${size} (the stored blob's size)`, edits: replace(String(size)) };
    }
    const actual = await store.computeDigest(digest);
    if (actual === digest || (await store.blobSize(actual)) === undefined) return undefined;
    return {
      title: `Set digest to ${actual} (what the stored bytes hash to, also stored under that digest)`,
      edits: replace(JSON.stringify(actual)),
    };
  }
}

function valueAt(text: string, path: (string | number)[]): unknown {
  let current: unknown;
  try {
    current = JSON.parse(text);
  } catch {
    return undefined;
  }
  for (const step of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
