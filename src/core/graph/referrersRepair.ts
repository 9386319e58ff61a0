// Repair of what the referrers doctor found (referrersCheck.ts), as a plan first — every change listed, so a dry
// run and the editor's modal show exactly what will happen — then applied. Safe by default: fallback indexes are
// rebuilt from the manifests that exist (entries completed from their manifests, dangling and duplicate entries
// dropped, lost referrers added back); deletions (orphaned fallback and cosign tags, emptied indexes) happen only
// with `prune` and the plan's confirmation digest; `toApi` re-pushes fallback-only referrers to a registry that
// gained the referrers API and, once the API lists them, takes them out of the fallback index.
import { type Descriptor, OciError, throwIfAborted, counted } from '../oci';
import { digestOf, type Target } from '../content';
import { retireTag, writeFallbackIndex } from './fallbackIndex';
import type { ReferrersReport, SubjectReferrers } from './referrersCheck';

export type ReferrersChange =
  | { kind: 'rewrite-index'; subject: string; tag: string; entries: Descriptor[]; reason: string }
  | { kind: 'delete-index'; subject: string; tag: string; digest: string; reason: string }
  | { kind: 'delete-cosign-tag'; subject: string; tag: string; digest: string; reason: string }
  | { kind: 'push-to-api'; subject: string; digest: string; reason: string };

export interface RepairPlan {
  location: string;
  /** Every change, in the order they are made; deletions are marked and made only with prune. */
  changes: (ReferrersChange & { needsPrune: boolean })[];
  /** Binds a prune to these exact deletions (like `delete --confirm`): undefined when there are none. */
  pruneDigest?: string;
}

export interface PlanRepairOptions {
  /** Migrate fallback-only referrers to the referrers API (the registry must have it). */
  toApi?: boolean;
}

export function planRepair(report: ReferrersReport, options: PlanRepairOptions = {}): RepairPlan {
  if (options.toApi && !report.referrersApi)
    throw new OciError(
      'UNSUPPORTED',
      `${report.location} has no referrers API (it answers no JSON index on the referrers path): nothing to migrate to; run without --to-api`,
    );
  const changes: RepairPlan['changes'] = [];
  for (const subject of report.subjects) changes.push(...planSubject(subject, report.referrersApi, !!options.toApi));
  for (const orphan of report.orphanedCosignTags)
    changes.push({
      kind: 'delete-cosign-tag',
      subject: orphan.subject,
      tag: orphan.tag,
      digest: orphan.digest,
      reason: `its subject ${orphan.subject} is gone`,
      needsPrune: true,
    });
  const deletions = changes.filter((c) => c.needsPrune);
  const plan: RepairPlan = { location: report.location, changes };
  if (deletions.length)
    plan.pruneDigest = digestOf(
      Buffer.from(
        JSON.stringify(
          deletions.map((c) => [c.kind, c.subject, 'tag' in c ? c.tag : '', 'digest' in c ? c.digest : '']),
        ),
      ),
    );
  return plan;
}

/** Removing the subject's fallback index (a deletion: only with prune), if it has one. */
function deleteIndex(s: SubjectReferrers, reason: string): RepairPlan['changes'] {
  if (!s.fallbackIndexDigest) return [];
  return [
    {
      kind: 'delete-index',
      subject: s.subject,
      tag: s.fallbackTag,
      digest: s.fallbackIndexDigest,
      reason,
      needsPrune: true,
    },
  ];
}

function planSubject(s: SubjectReferrers, api: boolean, toApi: boolean): RepairPlan['changes'] {
  const changes: RepairPlan['changes'] = [];
  if (!s.subjectExists) {
    changes.push(...deleteIndex(s, `its subject ${s.subject} is gone`));
    return changes;
  }
  const inApi = new Set((s.apiEntries ?? []).map((d) => d.digest));
  const inFallback = new Set(s.fallbackEntries.map((d) => d.digest));
  let wanted: Descriptor[];
  if (!api) wanted = s.referrers;
  else if (toApi) {
    for (const r of s.referrers.filter((r) => !inApi.has(r.digest)))
      changes.push({
        kind: 'push-to-api',
        subject: s.subject,
        digest: r.digest,
        reason: `the referrers API does not list it${inFallback.has(r.digest) ? ' (only the fallback index does)' : ''}`,
        needsPrune: false,
      });
    wanted = [];
  } else wanted = s.referrers.filter((r) => inFallback.has(r.digest) || !inApi.has(r.digest));

  if (wanted.length === 0) {
    changes.push(
      ...deleteIndex(
        s,
        toApi ? 'every referrer it listed is in the referrers API now' : 'it lists no referrer that exists',
      ),
    );
  } else if (JSON.stringify(wanted) !== JSON.stringify(s.fallbackEntries)) {
    changes.push({
      kind: 'rewrite-index',
      subject: s.subject,
      tag: s.fallbackTag,
      entries: wanted,
      reason: describeRewrite(s, wanted),
      needsPrune: false,
    });
  }
  return changes;
}

function describeRewrite(s: SubjectReferrers, wanted: Descriptor[]): string {
  const stored = new Set(s.fallbackEntries.map((d) => d.digest));
  const kept = new Set(wanted.map((d) => d.digest));
  const added = wanted.filter((d) => !stored.has(d.digest)).length;
  const dropped = [...stored].filter((d) => !kept.has(d)).length;
  const duplicates = s.fallbackEntries.length - stored.size;
  const parts = [
    added && `add ${counted(added, 'lost referrer')}`,
    dropped && `drop ${dropped} entr${dropped === 1 ? 'y' : 'ies'} naming no referrer of it`,
    duplicates && `drop ${counted(duplicates, 'duplicate')}`,
  ].filter(Boolean);
  return `${parts.length ? parts.join(', ') + '; ' : ''}entries completed from their manifests (${wanted.length} in all)`;
}

/** One change in words, for a dry run, a modal or a log (raw registry text: the caller makes it safe to show). */
export function describeChange(c: ReferrersChange): string {
  const what =
    c.kind === 'push-to-api'
      ? `push-to-api ${c.digest} (referrer of ${c.subject})`
      : `${c.kind} ${c.tag}${'digest' in c ? ` (${c.digest})` : ''}`;
  return `${what}: ${c.reason}`;
}

export interface ApplyRepairOptions {
  /** Make the deletions; `confirm` must equal the plan's pruneDigest. */
  prune?: boolean;
  confirm?: string;
  signal?: AbortSignal;
  /** Called before each change is made. */
  onChange?: (change: ReferrersChange) => void;
}

/** Makes the plan's changes in order; returns those made (deletions are skipped without prune). */
export async function applyRepair(
  target: Target,
  plan: RepairPlan,
  options: ApplyRepairOptions = {},
): Promise<ReferrersChange[]> {
  const { signal } = options;
  if (options.prune && plan.pruneDigest && options.confirm !== plan.pruneDigest)
    throw new OciError(
      'USAGE',
      `pruning deletes ${counted(plan.changes.filter((c) => c.needsPrune).length, 'tag')} in ${plan.location}; confirm with the plan's digest ${plan.pruneDigest}${options.confirm ? ` (not ${options.confirm}: the repository changed since, or another plan)` : ''}`,
    );
  const made: ReferrersChange[] = [];
  const failedMigrations = new Set<string>();
  for (const change of plan.changes) {
    throwIfAborted(signal);
    if (change.needsPrune && !options.prune) continue;
    if (change.kind === 'delete-index' && failedMigrations.has(change.subject)) continue;
    options.onChange?.(change);
    switch (change.kind) {
      case 'push-to-api': {
        const { descriptor, bytes } = await target.fetchManifest(change.digest, { signal });
        const { subjectIndexed } = await target.pushManifest(descriptor, bytes, { signal });
        if (!subjectIndexed) {
          // The fallback index keeps listing it: nothing is lost, and the report says so.
          failedMigrations.add(change.subject);
          throw new OciError(
            'UNSUPPORTED',
            `${target.location} did not list ${change.digest} in its referrers API after it was pushed again; the fallback index still lists it`,
          );
        }
        break;
      }
      case 'rewrite-index':
        await writeFallbackIndex(target, change.subject, change.entries, signal);
        break;
      case 'delete-index':
      case 'delete-cosign-tag':
        // By tag, never by the digest it names: a forged referrer tag may name anybody's manifest.
        if (!(await retireTag(target, change.tag, signal)))
          throw new OciError(
            'UNSUPPORTED',
            `${target.location} does not allow deletes: tag ${change.tag} stays (enable deletes on the registry)`,
          );
        break;
    }
    made.push(change);
  }
  return made;
}
