// A comparison as lines a person reads (`stowage diff`): a "---"/"+++" header naming the two sides, then one line
// per fact that differs ("Created: A → B"), keyed facts grouped under their name with "~", "+" or "-", and the
// layers' summary with the layers only one side has. Strings are the stores', untrusted: callers escape them.
import { formatBytes, type Descriptor } from '../oci';
import type { MergedEntry } from '../files';
import type { InspectionComparison } from './compareInspections';
import type { FilesComparison } from './compareFiles';
import { mergedEntryText } from './fileListing';
import { layerText } from './inspectionText';

export interface ComparedSide {
  /** How the side was named (the reference as given). */
  label: string;
  descriptor: Descriptor;
  kind?: string;
}

export function comparisonLines(from: ComparedSide, to: ComparedSide, comparison: InspectionComparison): string[] {
  const lines = [`--- ${sideText(from)}`, `+++ ${sideText(to)}`];
  if (comparison.identical) return [...lines, `Identical: both name ${from.descriptor.digest}`];
  let heading: string | undefined;
  for (const difference of comparison.differences) {
    if (difference.key === undefined) {
      heading = undefined;
      lines.push(`${`${difference.fact}:`.padEnd(15)}${difference.from ?? '(none)'} → ${difference.to ?? '(none)'}`);
      continue;
    }
    if (heading !== difference.fact) lines.push(`${difference.fact}:`);
    heading = difference.fact;
    if (difference.change === 'added') lines.push(`  + ${difference.key}: ${difference.to}`);
    else if (difference.change === 'removed') lines.push(`  - ${difference.key}: ${difference.from}`);
    else lines.push(`  ~ ${difference.key}: ${difference.from} → ${difference.to}`);
  }
  const layers = comparison.layers;
  if (layers && (layers.changes.length || layers.reordered || layers.fromBytes !== layers.toBytes)) {
    const count = layers.fromCount === layers.toCount ? `${layers.toCount}` : `${layers.fromCount} → ${layers.toCount}`;
    const shared = layers.reordered
      ? 'the same layers in another order'
      : `${layers.sharedFromBottom} shared from the bottom`;
    lines.push(`${'Layers:'.padEnd(15)}${count}; ${shared}; ${sizeChange(layers.fromBytes, layers.toBytes)}`);
    for (const change of layers.changes)
      lines.push(`  ${change.change === 'added' ? '+' : '-'} ${change.position}  ${layerText(change.layer)}`);
  }
  if (lines.length === 2)
    lines.push(
      'No difference in what inspect shows: the manifests differ only in their bytes (formatting, field order, or fields inspect does not show; --raw on each shows them)',
    );
  return lines;
}

/** The files section: counts, then one line per path that differs, "+" only in the second, "-" only in the first. */
export function filesLines(files: FilesComparison): string[] {
  const { added, removed, changed } = files;
  const counts = [`${added.length} added`, `${removed.length} removed`, `${changed.length} changed`];
  const same = !added.length && !removed.length && !changed.length;
  const lines = [`${'Files:'.padEnd(15)}${same ? 'no difference' : counts.join(', ')}`];
  const merged = [
    ...added.map((entry) => ({ path: entry.path, line: `  + ${mergedEntryText(entry, false)}` })),
    ...removed.map((entry) => ({ path: entry.path, line: `  - ${mergedEntryText(entry, false)}` })),
    ...changed.map((change) => ({ path: change.path, line: `  ~ ${changeText(change.from, change.to, change.what)}` })),
  ].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  lines.push(...merged.map((m) => m.line));
  const unread = [
    ...files.unread.from.map((n) => `layer ${n} of the first`),
    ...files.unread.to.map((n) => `layer ${n} of the second`),
  ];
  if (unread.length) lines.push(`  (not compared, no file system: ${unread.join(', ')})`);
  return lines;
}

function changeText(from: MergedEntry, to: MergedEntry, what: readonly string[]): string {
  const parts: string[] = [];
  if (what.includes('type')) parts.push(`${from.type} → ${to.type}`);
  if (what.includes('content'))
    parts.push(
      from.size === to.size ? `content (${formatBytes(to.size)})` : `content, ${sizeChange(from.size, to.size)}`,
    );
  if (what.includes('mode')) parts.push(`mode ${octal(from.mode)} → ${octal(to.mode)}`);
  if (what.includes('link')) parts.push(`link ${from.linkname ?? ''} → ${to.linkname ?? ''}`);
  return `${to.type === 'directory' ? `${to.path}/` : to.path}  ${parts.join('; ')}`;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

function sideText(side: ComparedSide): string {
  return `${side.label}  ${side.descriptor.digest}${side.kind ? `  (${side.kind})` : ''}`;
}

function sizeChange(from: number, to: number): string {
  if (from === to) return formatBytes(to);
  const delta = to - from;
  return `${formatBytes(from)} → ${formatBytes(to)} (${delta > 0 ? '+' : '−'}${formatBytes(Math.abs(delta))})`;
}
