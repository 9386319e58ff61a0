// The Check Referrers report as Markdown: a header (what was checked, how much was scanned), then one section per
// problem with its kind, subject, digest, tag, what was found and what "Repair Referrers…" would do about it.
// Free of the editor API (unit-tested in plain mocha). Everything from the store goes in as a code span, so the
// report reads the same as source and as preview and no registry text can form a link.
import { describeChange, type ReferrersProblem, type ReferrersReport, type RepairPlan } from '../../core/graph';
import { untrustedCode, untrustedMarkdown, counted } from '../../core/oci';

export interface ReportText {
  text: string;
  /** The line of each problem's heading (the Problems panel points there), in the report's order. */
  problemLines: number[];
}

type PlannedChange = RepairPlan['changes'][number];

/** The change of the plan that deals with `problem`, if any does. */
export function changeFor(problem: ReferrersProblem, plan: RepairPlan): PlannedChange | undefined {
  if (problem.kind === 'orphaned-cosign-tag')
    return plan.changes.find((c) => c.kind === 'delete-cosign-tag' && c.tag === problem.tag);
  return plan.changes.find(
    (c) =>
      c.subject === problem.subject &&
      c.kind !== 'delete-cosign-tag' &&
      (c.kind !== 'push-to-api' || c.digest === problem.digest),
  );
}

/** What repair does about one problem, in a sentence. */
export function repairOf(problem: ReferrersProblem, plan: RepairPlan): string {
  const change = changeFor(problem, plan);
  if (!change) {
    if (problem.kind === 'missing-from-api')
      return 'nothing here: the fallback index keeps it visible; `stowage referrers repair --to-api` moves it to the referrers API';
    return 'nothing: no safe repair (the fallback index has no referrer that exists to rebuild it from)';
  }
  const line = untrustedCode(describeChange(change));
  return change.needsPrune ? `${line} (a deletion: asked for separately, after the list of changes)` : line;
}

export function referrersReportText(label: string, report: ReferrersReport, plan: RepairPlan): ReportText {
  const { scan } = report;
  const lines: string[] = [];
  const problemLines: number[] = [];
  const deletions = plan.changes.filter((c) => c.needsPrune).length;
  lines.push(
    `# Referrers check: ${untrustedMarkdown(label)}`,
    '',
    `- Store: ${untrustedCode(report.location)}`,
    `- Referrers API: ${report.referrersApi ? 'yes (compared with the fallback index)' : 'no (fallback tags only)'}`,
    `- Scanned ${counted(scan.manifestsRead, 'tagged manifest')} of ${counted(scan.tags, 'tag')} for a \`subject\` in ${scan.durationMs} ms${scan.truncated ? ' — stopped at the scan limit: referrers beyond it are not found' : ''}`,
    `- Subjects checked: ${report.subjects.length}`,
    `- Problems: ${report.problems.length}; repair would make ${counted(plan.changes.length, 'change')}${deletions ? `, ${deletions} of them deletions` : ''}`,
    '',
  );
  if (!report.problems.length) lines.push('No problems found.', '');
  else {
    lines.push(
      plan.changes.length
        ? 'Run **Stowage: Repair Referrers…** (or the quick fix on a problem) to see every change before it is made.'
        : 'Nothing here can be repaired safely.',
      '',
      '## Problems',
      '',
    );
    report.problems.forEach((problem, i) => {
      problemLines.push(lines.length);
      lines.push(`### ${i + 1}. ${problem.kind}`, '');
      lines.push(`- Subject: ${untrustedCode(problem.subject)}`);
      if (problem.digest) lines.push(`- Digest: ${untrustedCode(problem.digest)}`);
      if (problem.tag) lines.push(`- Tag: ${untrustedCode(problem.tag)}`);
      lines.push(`- Found: ${untrustedCode(problem.message)}`, `- Repair: ${repairOf(problem, plan)}`, '');
    });
  }
  if (report.orphanedReferrers.length) {
    lines.push(
      '## Referrers of subjects that are gone',
      '',
      'No problem of the bookkeeping, and nothing repair deletes: each stays until you delete it (Delete… on it in the tree) or push its subject again.',
      '',
      ...report.orphanedReferrers.map(
        (o) =>
          `- ${untrustedCode(o.digest)}${o.tag !== undefined ? ` (tag ${untrustedCode(o.tag)})` : ''} refers to ${untrustedCode(o.subject)}`,
      ),
      '',
    );
  }
  return { text: lines.join('\n'), problemLines };
}

/** Lines listed in a modal; the rest are in the log (a modal cannot scroll, and a long one covers the window). */
export const MODAL_LIST_LIMIT = 12;

/** The first lines of a list as bullets, and how many more there are (the caller logs them all). */
export function modalList(lines: readonly string[], limit = MODAL_LIST_LIMIT): string {
  const shown = lines.slice(0, limit);
  const more = lines.length - shown.length;
  return [
    ...shown.map((line) => `• ${line}`),
    ...(more ? [`…and ${more} more (every change is listed in the Stowage log).`] : []),
  ].join('\n');
}
