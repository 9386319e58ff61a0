// "Repair Referrers…": checks the scope afresh, plans the repair, and shows every change in a modal before making
// any. Deletions (orphaned fallback and cosign tags, emptied indexes) need a second modal that names each tag;
// the plan's confirmation digest binds them to exactly what was shown. Afterwards: a summary, the tree refreshed,
// and the report and Problems panel brought up to date by a new check.
import * as vscode from 'vscode';
import { applyRepair, describeChange, type ReferrersChange, type RepairPlan } from '../../core/graph';
import { toAbortSignal } from '../abort';
import { refreshStore } from '../commands/CommandContext';
import { notificationProgress } from '../progress';
import type { TreeNode } from '../tree/nodes';
import { runCheck, type ReferrersContext } from './checkReferrers';
import { modalList as listed } from './referrersReportText';
import { referrersScopeOf, type ReferrersScope } from './referrersScope';
import { counted } from '../../core/oci';

const TITLE = 'Repair Referrers';
const REPAIR = 'Repair';

export interface RepairOutcome {
  made: ReferrersChange[];
  /** Deletions the plan had but the user did not confirm. */
  skippedDeletions: number;
  /** Problems the check after the repair still found. */
  remainingProblems: number;
}

export function repairReferrers(ctx: ReferrersContext) {
  return async (target?: TreeNode | vscode.Uri): Promise<RepairOutcome | undefined> => {
    // From the report's title bar the argument is the report: act on what it was made for.
    const node = target instanceof vscode.Uri ? ctx.referrersReports.nodeOf(target) : target;
    const scope = await referrersScopeOf(ctx, node, TITLE, 'repair');
    if (!scope) return undefined;
    const { plan } = await runCheck(ctx, scope);
    if (!plan.changes.length) {
      await ctx.prompts().notify('info', `Nothing to repair in the referrers of ${scope.label}.`);
      return { made: [], skippedDeletions: 0, remainingProblems: 0 };
    }
    const prune = await askToRepair(ctx, scope, plan);
    if (prune === undefined) return undefined;

    let made: ReferrersChange[] = [];
    try {
      made = await vscode.window.withProgress(
        notificationProgress(`Repairing the referrers of ${scope.label}`),
        (progress, token) => {
          const total = plan.changes.filter((c) => prune || !c.needsPrune).length;
          return applyRepair(scope.target, plan, {
            prune,
            confirm: prune ? plan.pruneDigest : undefined,
            signal: toAbortSignal(token),
            onChange: (change) => {
              ctx.log.info(`${TITLE} ${scope.label}: ${describeChange(change)}`);
              progress.report({ message: describeChange(change), increment: 100 / total });
            },
          });
        },
      );
    } finally {
      refreshStore(ctx, scope.store);
    }
    const skippedDeletions = prune ? 0 : plan.changes.filter((c) => c.needsPrune).length;
    const after = await runCheck(ctx, scope);
    const remaining = after.report.problems.length;
    await ctx
      .prompts()
      .notify(
        remaining ? 'warning' : 'info',
        [
          `Repaired the referrers of ${scope.label}: ${counted(made.length, 'change')} made.`,
          skippedDeletions ? `${counted(skippedDeletions, 'deletion')} not made.` : '',
          remaining
            ? `${counted(remaining, 'problem')} ${remaining === 1 ? 'remains' : 'remain'} (see the Problems panel).`
            : 'No problems remain.',
        ]
          .filter(Boolean)
          .join(' '),
      );
    return { made, skippedDeletions, remainingProblems: remaining };
  };
}

/**
 * The modals: every change, then (only when the user asks for deletions) every deletion by name. Resolves with
 * whether to prune, or undefined when the user cancelled either modal (nothing is changed then).
 */
async function askToRepair(
  ctx: ReferrersContext,
  scope: ReferrersScope,
  plan: RepairPlan,
): Promise<boolean | undefined> {
  const safe = plan.changes.filter((c) => !c.needsPrune);
  const deletions = plan.changes.filter((c) => c.needsPrune);
  ctx.log.info(`${TITLE} ${scope.label}: the plan (${counted(plan.changes.length, 'change')}):`);
  for (const change of plan.changes)
    ctx.log.info(`  ${describeChange(change)}${change.needsPrune ? ' (a deletion)' : ''}`);

  const deleteAction = safe.length ? `Repair and Delete ${deletions.length}…` : `Delete ${deletions.length}…`;
  const choice = await ctx.prompts().choose({
    message: `Repair the referrers of ${scope.label}: ${counted(plan.changes.length, 'change')}?`,
    detail: [
      listed(plan.changes.map((c) => `${c.needsPrune ? '[delete] ' : ''}${describeChange(c)}`)),
      deletions.length
        ? `${deletions.length} of them delete tags: "${deleteAction}" asks once more, naming each.${safe.length ? ` "${REPAIR}" makes the other ${safe.length} and leaves those tags.` : ''}`
        : 'Nothing is deleted: fallback indexes are rewritten from the manifests that exist.',
    ].join('\n\n'),
    actions: [...(safe.length ? [REPAIR] : []), ...(deletions.length ? [deleteAction] : [])],
  });
  if (choice === REPAIR) return false;
  if (choice !== deleteAction) return undefined;

  const confirmed = await ctx.prompts().confirm({
    message: `Delete ${counted(deletions.length, 'tag')} from ${plan.location}?`,
    detail: [
      listed(
        deletions.map((c) =>
          c.kind === 'delete-index' || c.kind === 'delete-cosign-tag'
            ? `${c.tag} (${c.digest}): ${c.reason}`
            : describeChange(c),
        ),
      ),
      scope.store.kind === 'registry'
        ? 'A registry removes a tag by deleting the manifest it names (the referrers index, or the cosign signature or attestation). This cannot be undone.'
        : 'The layout drops these tags; what they name stays until garbage collection.',
    ].join('\n\n'),
    action: `Delete ${counted(deletions.length, 'Tag')}`,
  });
  if (!confirmed) {
    ctx.log.info(`${TITLE} ${scope.label}: cancelled at the deletions; nothing changed`);
    return undefined;
  }
  return true;
}
