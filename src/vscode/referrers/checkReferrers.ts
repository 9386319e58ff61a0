// "Check Referrers": the referrers doctor on a repository, a layout or one artifact, in a cancellable progress
// notification; its problems go to the report document and the Problems panel (ReferrersReports), and the
// notification offers "Repair…" when a repair would change something.
import * as vscode from 'vscode';
import { checkReferrers as check, planRepair, type ReferrersReport, type RepairPlan } from '../../core/graph';
import { toAbortSignal } from '../abort';
import type { CommandContext } from '../commands/CommandContext';
import { notificationProgress } from '../progress';
import type { TreeNode } from '../tree/nodes';
import type { ReferrersReports } from './ReferrersReports';
import { referrersScopeOf, type ReferrersScope } from './referrersScope';
import { counted } from '../../core/oci';

const TITLE = 'Check Referrers';
const REPAIR = 'Repair…';
const SHOW = 'Show Report';

export interface ReferrersContext extends CommandContext {
  referrersReports: ReferrersReports;
}

export interface CheckOutcome {
  report: ReferrersReport;
  plan: RepairPlan;
  /** The report document (its diagnostics are the problems). */
  uri: vscode.Uri;
}

export function checkReferrers(ctx: ReferrersContext) {
  return async (target?: TreeNode | vscode.Uri): Promise<CheckOutcome | undefined> => {
    // From the report's title bar the argument is the report: act on what it was made for.
    const node = target instanceof vscode.Uri ? ctx.referrersReports.nodeOf(target) : target;
    const scope = await referrersScopeOf(ctx, node, TITLE, 'check');
    if (!scope) return undefined;
    const outcome = await runCheck(ctx, scope);
    const { report, plan, uri } = outcome;
    const { length } = report.problems;
    if (!length) {
      const orphans = report.orphanedReferrers.length;
      const choice = await ctx
        .prompts()
        .notify(
          'info',
          `No referrers problems in ${scope.label} (${counted(report.subjects.length, 'subject')} checked, ${counted(report.scan.manifestsRead, 'tagged manifest')} scanned)${orphans ? `; ${counted(orphans, 'referrer')} of a subject that is gone ${orphans === 1 ? 'stays' : 'stay'}, as no repair deletes a manifest` : ''}.`,
          ...(orphans ? [SHOW] : []),
        );
      if (choice === SHOW) await vscode.window.showTextDocument(uri, { preview: true });
      return outcome;
    }
    await vscode.window.showTextDocument(uri, { preview: true });
    // Not awaited: the command is done when the results are shown; the notification may stay up a while.
    void ctx
      .prompts()
      .notify(
        'warning',
        `${counted(length, 'referrers problem')} in ${scope.label}${plan.changes.length ? `; repair would make ${counted(plan.changes.length, 'change')}` : '; none can be repaired safely'}. ${length === 1 ? 'It is' : 'They are'} listed in the Problems panel.`,
        ...(plan.changes.length ? [REPAIR] : []),
        SHOW,
      )
      .then(async (choice) => {
        if (choice === REPAIR) await vscode.commands.executeCommand('stowage.referrers.repair', scope.node);
        else if (choice === SHOW) await vscode.window.showTextDocument(uri, { preview: true });
      });
    return outcome;
  };
}

/** Checks the scope with cancellable progress and publishes the result (report document and diagnostics). */
export async function runCheck(ctx: ReferrersContext, scope: ReferrersScope): Promise<CheckOutcome> {
  const report = await vscode.window.withProgress(
    notificationProgress(`Checking the referrers of ${scope.label}`),
    (_progress, token) => check(scope.target, { subject: scope.subject, signal: toAbortSignal(token) }),
  );
  const plan = planRepair(report);
  const uri = ctx.referrersReports.publish(scope, report, plan);
  ctx.log.info(
    `${TITLE} ${scope.label}: ${counted(report.problems.length, 'problem')} in ${counted(report.subjects.length, 'subject')}; scanned ${report.scan.manifestsRead} of ${counted(report.scan.tags, 'tag')} in ${report.scan.durationMs} ms${report.scan.truncated ? ' (stopped at the scan limit)' : ''}`,
  );
  for (const problem of report.problems) ctx.log.info(`  ${problem.kind}: ${problem.message}`);
  return { report, plan, uri };
}
