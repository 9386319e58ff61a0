// A clean-up plan in words, the same in the CLI's output and the editor's confirmation and log, and the ages both
// take ("14d"). Tags are a registry's strings: printable only.
import { counted, printable, shortDigest } from '../oci';
import type { KeptEntry, PruneEntry, PrunePlan } from './pruneTags';

/** "pr-12, pr-12-debug (sha256:0123456789ab, made 2026-11-01)". */
export function describePruneEntry(entry: PruneEntry): string {
  const made = entry.created !== undefined ? `, made ${new Date(entry.created).toISOString().slice(0, 10)}` : '';
  return `${entry.tags.map(printable).join(', ')} (${shortDigest(entry.descriptor.digest, { withAlgorithm: true })}${made})`;
}

/** "kept pr-3 (sha256:…): also tagged latest, which the patterns do not pick". */
export function keptLine(entry: KeptEntry): string {
  return `kept ${describePruneEntry(entry)}: ${entry.reason}`;
}

/** "3 manifests (4 tags)": what the plan deletes. */
export function doomedCount(plan: PrunePlan): string {
  const tags = plan.doomed.reduce((n, entry) => n + entry.tags.length, 0);
  return `${counted(plan.doomed.length, 'manifest')} (${counted(tags, 'tag')})`;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30m", "12h", "14d", "2w" → milliseconds; undefined for anything else. */
export function parsePruneAge(text: string): number | undefined {
  const match = /^(\d+)([mhdw])$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2]!]! : undefined;
}
