// The files two artifacts' layers make, compared path by path (`stowage diff --files`): what is only in one, and what
// differs in type, content, size, mode or link target. Each side's layers are merged as extraction leaves them
// (mergedFiles.ts); a layer both sides have is read once. Paths are the layers', untrusted: callers escape them.
import type { ReadOnlyTarget } from '../content';
import type { Descriptor } from '../oci';
import { SharedLayerReads, type MergedEntry, mergedFiles } from '../files';

export interface ChangedFile {
  path: string;
  from: MergedEntry;
  to: MergedEntry;
  /** What differs: "type", "content", "mode", "link". */
  what: ('type' | 'content' | 'mode' | 'link')[];
}

export interface FilesComparison {
  added: MergedEntry[];
  removed: MergedEntry[];
  changed: ChangedFile[];
  /** Layers of each side that are no file system (neither a tar nor a titled file), by place from 1. */
  unread: { from: number[]; to: number[] };
}

export interface ComparedLayers {
  target: Pick<ReadOnlyTarget, 'fetchBlob'>;
  layers: readonly Descriptor[];
}

export async function compareFiles(
  from: ComparedLayers,
  to: ComparedLayers,
  signal?: AbortSignal,
): Promise<FilesComparison> {
  const fromDigests = new Set(from.layers.map((layer) => layer.digest));
  const shared = new Set(to.layers.map((layer) => layer.digest).filter((digest) => fromDigests.has(digest)));
  // One reading for a layer both sides have is only sound when both read the same bytes: a digest names them.
  const listings = new SharedLayerReads(shared);
  const a = await mergedFiles(from.target, from.layers, listings, signal);
  const b = await mergedFiles(to.target, to.layers, listings, signal);
  const comparison: FilesComparison = { added: [], removed: [], changed: [], unread: { from: a.unread, to: b.unread } };
  for (const [path, entry] of a.entries) {
    const other = b.entries.get(path);
    if (!other) comparison.removed.push(entry);
    else {
      const what = differences(entry, other);
      if (what.length) comparison.changed.push({ path, from: entry, to: other, what });
    }
  }
  for (const [path, entry] of b.entries) if (!a.entries.has(path)) comparison.added.push(entry);
  const byPath = (x: { path: string }, y: { path: string }) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  comparison.added.sort(byPath);
  comparison.removed.sort(byPath);
  comparison.changed.sort(byPath);
  return comparison;
}

function differences(a: MergedEntry, b: MergedEntry): ChangedFile['what'] {
  if (a.type !== b.type) return ['type'];
  const what: ChangedFile['what'] = [];
  if (a.type === 'file' && (a.size !== b.size || a.contentDigest !== b.contentDigest)) what.push('content');
  if (a.mode !== b.mode) what.push('mode');
  if ((a.linkname ?? '') !== (b.linkname ?? '')) what.push('link');
  return what;
}
