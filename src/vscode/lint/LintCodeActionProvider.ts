// Quick fixes: the linter's own fix edits, plus, in an image layout, the size or digest taken from the blob
// that is actually stored there. Only files that may change are edited: a layout's index.json and JSON files
// outside `blobs/`. A blob file is content-addressed (its name is the digest of its bytes), so any edit breaks
// it: its problems get one disabled action saying so, and no edit (VS Code, finding no fix at the cursor,
// offers the fixes of other problems on the same line: a one-line manifest blob would get them all).
import * as vscode from 'vscode';
import { layoutFileOf, type Fix, type Problem } from '../../core/lint';
import { isDigest } from '../../core/oci';
import { DIAGNOSTIC_SOURCE, sameProblem } from './diagnostics';
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
    const blobFile = await contentAddressedFile(document, linted);
    if (blobFile) return this.notEditable(blobFile, context.diagnostics);
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

  private notEditable(blobFile: string, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
    const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    const action = new vscode.CodeAction(
      'No fix in a blob file: it is content-addressed',
      vscode.CodeActionKind.QuickFix,
    );
    action.disabled = {
      reason: `${blobFile} is content-addressed: its name is the digest of its bytes, so any edit breaks it. Restore the blob the problem names, or fix the index.json entry that refers to this manifest.`,
    };
    action.diagnostics = ours;
    return [action];
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
      // Only an intact blob's size is the right one: bytes that do not hash to their name were replaced.
      if (size === undefined || (await store.computeDigest(digest)) !== digest) return undefined;
      return { title: `Set size to ${size} (the stored blob's size)`, edits: replace(String(size)) };
    }
    const actual = await store.computeDigest(digest);
    if (actual === digest || (await store.blobSize(actual)) === undefined) return undefined;
    return {
      title: `Set digest to ${actual} (what the stored bytes hash to, also stored under that digest)`,
      edits: replace(JSON.stringify(actual)),
    };
  }
}

/** The layout-relative name of a blob file (`blobs/<alg>/<hex>`), for a document that is one. */
async function contentAddressedFile(
  document: vscode.TextDocument,
  linted: LintedDocument | undefined,
): Promise<string | undefined> {
  if (linted) return linted.target.layout?.role === 'blob' ? linted.target.layout.relative : undefined;
  if (document.uri.scheme !== 'file') return undefined;
  const layout = await layoutFileOf(document.uri.fsPath);
  return layout?.role === 'blob' ? layout.relative : undefined;
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
