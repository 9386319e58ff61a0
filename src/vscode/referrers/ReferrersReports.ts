// Where Check Referrers puts its results: a read-only report document per checked scope (its own scheme, so the
// JSON linter never sees it and nobody is asked to save it) and, for each problem, a diagnostic in the Problems
// panel pointing at that problem's section, with a "Repair Referrers…" quick fix. Checking the scope again
// replaces both; closing the window forgets them (a report is a snapshot, not a file).
import * as vscode from 'vscode';
import type { ReferrersProblem, ReferrersProblemKind, ReferrersReport, RepairPlan } from '../../core/graph';
import { storeId, untrustedText } from '../../core/oci';
import { Disposable } from '../lifecycle';
import { referrersReportText } from './referrersReportText';
import type { TreeNode } from '../tree/nodes';
import type { ReferrersScope } from './referrersScope';

export const REFERRERS_REPORT_SCHEME = 'stowage-referrers';
export const DIAGNOSTIC_SOURCE = 'Stowage referrers';
const REPAIR_COMMAND = 'stowage.referrers.repair';

/** Problems that hide referrers from clients or point them at nothing; the rest is untidiness. */
const ERRORS: ReadonlySet<ReferrersProblemKind> = new Set([
  'dangling-entry',
  'wrong-subject',
  'missing-from-fallback',
  'fallback-not-index',
]);

interface Shown {
  text: string;
  scope: ReferrersScope;
  /** Repair would change something (the quick fix is offered only then). */
  repairable: boolean;
}

export class ReferrersReports
  extends Disposable
  implements vscode.TextDocumentContentProvider, vscode.CodeActionProvider
{
  private readonly shown = new Map<string, Shown>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('stowage-referrers'));

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REFERRERS_REPORT_SCHEME, this));
    this.register(
      vscode.languages.registerCodeActionsProvider({ scheme: REFERRERS_REPORT_SCHEME }, this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
  }

  /** The report's URI for a scope: the same scope checked again replaces the same document. */
  uriOf(scope: Pick<ReferrersScope, 'store' | 'subject'>): vscode.Uri {
    const name = scope.subject ? `referrers-${scope.subject.replace(':', '-').slice(0, 19)}.md` : 'referrers.md';
    return vscode.Uri.from({
      scheme: REFERRERS_REPORT_SCHEME,
      path: `/${name}`,
      query: new URLSearchParams({ store: storeId(scope.store), subject: scope.subject ?? '' }).toString(),
    });
  }

  /**
   * Publishes a check's results (report text and diagnostics); returns the report's URI. A check of a whole
   * store also brings the reports of single artifacts in it up to date, so none keeps problems repaired since.
   */
  publish(scope: ReferrersScope, report: ReferrersReport, plan: RepairPlan): vscode.Uri {
    if (!scope.subject)
      for (const { scope: other } of [...this.shown.values()])
        if (other.subject && storeId(other.store) === storeId(scope.store))
          this.publish(other, narrowed(report, other.subject), {
            ...plan,
            changes: plan.changes.filter((c) => c.subject === other.subject),
          });
    const uri = this.uriOf(scope);
    const { text, problemLines } = referrersReportText(scope.label, report, plan);
    this.shown.set(uri.toString(), { text, scope, repairable: plan.changes.length > 0 });
    this.changed.fire(uri);
    this.diagnostics.set(
      uri,
      report.problems.map((problem, i) => this.diagnostic(problem, problemLines[i]!)),
    );
    return uri;
  }

  /** The node a report was made for (the report's editor title actions run on it). */
  nodeOf(uri: vscode.Uri): TreeNode | undefined {
    return uri.scheme === REFERRERS_REPORT_SCHEME ? this.shown.get(uri.toString())?.scope.node : undefined;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.shown.get(uri.toString())?.text ??
      '# Referrers check\n\nThis report is gone (reports last until the window closes): run **Stowage: Check Referrers** again.\n'
    );
  }

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const shown = this.shown.get(document.uri.toString());
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!shown?.repairable || !ours.length) return [];
    const action = new vscode.CodeAction('Repair Referrers…', vscode.CodeActionKind.QuickFix);
    action.diagnostics = ours;
    action.isPreferred = true;
    action.command = { command: REPAIR_COMMAND, title: 'Repair Referrers…', arguments: [shown.scope.node] };
    return [action];
  }

  private diagnostic(problem: ReferrersProblem, line: number): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
      untrustedText(problem.message),
      ERRORS.has(problem.kind) ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.code = problem.kind;
    diagnostic.source = DIAGNOSTIC_SOURCE;
    return diagnostic;
  }
}

/** A store's report narrowed to one subject (as a check of that subject alone would read). */
function narrowed(report: ReferrersReport, subject: string): ReferrersReport {
  return {
    ...report,
    subjects: report.subjects.filter((s) => s.subject === subject),
    problems: report.problems.filter((p) => p.subject === subject),
    orphanedCosignTags: report.orphanedCosignTags.filter((o) => o.subject === subject),
  };
}
