import { UsageError } from '../args';
import { connectionFlags, shellWord } from '../hintFlags';
import { COMMON_OPTIONS, formatOption } from '../commonOptions';
import { print, printError, printJson, type Command } from '../command';
import {
  DEFAULT_MAX_SCAN,
  applyRepair,
  checkReferrers,
  describeChange,
  planRepair,
  type ReferrersChange,
  type ReferrersReport,
  type RepairPlan,
} from '../../core/graph';
import { counted, formatReference, parseReference, printable, showInvisible } from '../../core/oci';

export const referrersCommand: Command = {
  name: 'referrers',
  subcommands: ['check', 'repair'],
  summary: 'check the referrers of an artifact or a whole repository, and repair broken fallback indexes',
  examples: [
    {
      does: 'check the referrers of every manifest of a repository',
      run: 'stowage referrers check localhost:5000/team/app',
    },
    {
      does: "show what a repair of one tag's fallback index would change",
      run: 'stowage referrers repair --dry-run localhost:5000/team/app:v1',
    },
  ],
  usage:
    'stowage referrers check <repository[:tag|@digest]> [--max-scan n] | stowage referrers repair <repository[:tag|@digest]> [--dry-run] [--prune --confirm <digest>] [--to-api]',
  options: [
    ...COMMON_OPTIONS,
    {
      name: 'max-scan',
      type: 'number',
      description: `read at most this many tagged manifests when looking for referrers a fallback index lost (default ${DEFAULT_MAX_SCAN})`,
    },
    { name: 'dry-run', type: 'boolean', description: 'repair: list every change it would make, and make none' },
    {
      name: 'prune',
      type: 'boolean',
      description: 'repair: also delete orphaned fallback and cosign tags and emptied indexes (needs --confirm)',
    },
    {
      name: 'confirm',
      type: 'string',
      valueName: 'digest',
      description: 'repair --prune: the plan digest a dry run printed, binding the prune to those deletions',
    },
    { name: 'to-api', type: 'boolean', description: 'repair: move fallback-index referrers to the referrers API' },
    formatOption('text (default) or json'),
  ],
  arity: [2, 2],
  async run({ io, args, session, signal }) {
    const [action, input] = args.positionals as [string, string];
    if (action !== 'check' && action !== 'repair')
      throw new UsageError(`unknown referrers action "${action}" (check or repair)`);
    const { target, tagOrDigest } = await session.open(input);
    const maxScan = args.options['max-scan'] as number | undefined;
    if (maxScan !== undefined && (!Number.isInteger(maxScan) || maxScan < 0))
      throw new UsageError(`--max-scan must be a whole number, not ${maxScan}`);
    const subject = tagOrDigest ? (await target.resolve(tagOrDigest, { signal })).digest : undefined;
    const report = await checkReferrers(target, { subject, maxScan, signal });
    // The repair command the output points to, whole (reference and connection flags), ready to paste.
    const repairCommand = (extra: string) =>
      `stowage referrers repair ${shellWord(input)}${connectionFlags(args, input.split('/')[0]!)} ${extra}`;
    const json = args.options['format'] === 'json';

    // How to delete one manifest of this repository, whole, for the referrers of nothing the report notes.
    const deleteCommand = (digest: string) =>
      `stowage delete ${shellWord(formatReference({ ...parseReference(input), tag: undefined, digest }))}${connectionFlags(args, input.split('/')[0]!)}`;

    if (action === 'check') {
      if (json) printJson(io, report);
      else print(io, renderReport(report, repairCommand('--dry-run'), deleteCommand));
      return report.problems.length ? 1 : 0;
    }

    const plan = planRepair(report, { toApi: !!args.options['to-api'] });
    const prune = !!args.options['prune'];
    const confirm = args.options['confirm'] as string | undefined;
    if (args.options['dry-run']) {
      if (json) printJson(io, plan);
      else print(io, renderPlan(plan, prune, 'would', repairCommand));
      return 0;
    }
    if (prune && plan.pruneDigest && confirm !== plan.pruneDigest) {
      printError(io, renderPlan(plan, true, 'would', repairCommand));
      throw new UsageError(
        `${confirm ? `--confirm ${confirm} is not this plan's digest; nothing changed. ` : ''}Run again with --prune --confirm ${plan.pruneDigest}`,
      );
    }
    const made = await applyRepair(target, plan, { prune, confirm, signal });
    const skipped = plan.changes.filter((c) => c.needsPrune && !prune).length;
    if (json) printJson(io, { made, skippedDeletions: skipped, pruneDigest: plan.pruneDigest });
    else
      print(io, [
        ...made.map((c) => `done ${describe(c)}`),
        made.length
          ? `${counted(made.length, 'change')} made in ${report.location}`
          : `nothing to repair in ${report.location}`,
        ...(skipped
          ? [
              `${counted(skipped, 'deletion')} left; to make ${skipped === 1 ? 'it' : 'them'}: ${repairCommand(`--prune --confirm ${plan.pruneDigest}`)} (see --dry-run)`,
            ]
          : []),
      ]);
    return 0;
  },
};

function renderReport(report: ReferrersReport, dryRun: string, deleteCommand: (digest: string) => string): string[] {
  const { scan } = report;
  return [
    `${report.location}: referrers API ${report.referrersApi ? 'yes' : 'no'}; read ${counted(scan.manifestsRead, 'tagged manifest')} of ${counted(scan.tags, 'tag')} in ${scan.durationMs} ms${scan.truncated ? ' (stopped at --max-scan: referrers beyond it are not found)' : ''}`,
    ...report.problems.map((p) => `${p.kind}: ${printable(p.message)}`),
    // Not problems of the bookkeeping, and nothing repair may delete: said, with the command that would.
    ...report.orphanedReferrers.map(
      (o) =>
        `note: ${o.digest}${o.tag !== undefined ? ` (tag ${printable(o.tag)})` : ''} refers to ${o.subject}, which is gone; it stays, as no repair deletes a manifest (to delete it: ${deleteCommand(o.digest)})`,
    ),
    report.problems.length
      ? `${counted(report.problems.length, 'problem')} in ${counted(report.subjects.length, 'subject')}; see "${dryRun}"`
      : `no problems in ${counted(report.subjects.length, 'subject')}`,
  ];
}

function describe(c: ReferrersChange): string {
  // Not printable(): that cuts at 200 characters, and a line naming a tag, a digest and a subject is longer.
  return showInvisible(describeChange(c));
}

function renderPlan(
  plan: RepairPlan,
  prune: boolean,
  verb: string,
  repairCommand: (extra: string) => string,
): string[] {
  if (!plan.changes.length) return [`nothing to repair in ${plan.location}`];
  const repairs = plan.changes.some((c) => !c.needsPrune);
  return [
    ...plan.changes.map((c) => `${verb} ${describe(c)}${c.needsPrune && !prune ? ' (only with --prune)' : ''}`),
    ...(repairs ? [`to repair: ${repairCommand('').trimEnd()}`] : []),
    ...(plan.pruneDigest ? [`to prune: ${repairCommand(`--prune --confirm ${plan.pruneDigest}`)}`] : []),
  ];
}
