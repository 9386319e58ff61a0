// Problems to diagnostics: the exact range, the rule code, the severity.
import * as vscode from 'vscode';
import type { Problem, Severity } from '../../core/lint';
import { untrustedText } from '../../core/oci';

export const DIAGNOSTIC_SOURCE = 'stowage';

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(document: vscode.TextDocument, problem: Problem): vscode.Diagnostic {
  const range = new vscode.Range(
    document.positionAt(problem.offset),
    document.positionAt(problem.offset + problem.length),
  );
  return diagnostic(range, problem);
}

export function diagnostic(
  range: vscode.Range,
  problem: Pick<Problem, 'message' | 'severity' | 'code'>,
): vscode.Diagnostic {
  // A problem quotes the document, which a registry or archive may have written.
  const result = new vscode.Diagnostic(
    range,
    untrustedText(problem.message, { multiline: true }),
    SEVERITIES[problem.severity],
  );
  result.source = DIAGNOSTIC_SOURCE;
  result.code = problem.code;
  return result;
}

/** Whether a diagnostic VS Code hands back (a copy) is the one made from `problem`. */
export function sameProblem(diagnostic: vscode.Diagnostic, document: vscode.TextDocument, problem: Problem): boolean {
  return (
    diagnostic.source === DIAGNOSTIC_SOURCE &&
    diagnostic.code === problem.code &&
    document.offsetAt(diagnostic.range.start) === problem.offset &&
    document.offsetAt(diagnostic.range.end) === problem.offset + problem.length
  );
}
