// The files an artifact's layers make together (whiteouts applied, as extraction leaves them), one line per path in
// path order: what the editor's Compare Files shows side by side, so that a changed file is a changed line. A
// file's line carries its size, mode and content digest (hashed while its layer streams through its digest check).
// Paths are the layers', untrusted: callers escape them.
import type { Target } from '../content';
import { formatBytes, platformText, shortDigest, type Descriptor } from '../oci';
import { SharedLayerReads, type MergedEntry, mergedFiles } from '../files';
import { inspectArtifact, type InspectOptions } from './inspectArtifact';

export async function fileListingLines(
  target: Target,
  descriptor: Descriptor,
  options: Pick<InspectOptions, 'preferred' | 'signal'> = {},
): Promise<string[]> {
  const inspection = await inspectArtifact(target, descriptor.digest, options);
  const manifest = inspection.manifest;
  if (!manifest)
    return [
      `${inspection.name}@${descriptor.digest} is an index with no manifest for this machine’s platform: no one set of files`,
    ];
  const platform = platformText(manifest.image);
  const layers = manifest.layers.length;
  const files = await mergedFiles(target, manifest.layers, new SharedLayerReads(new Set()), options.signal);
  const entries = [...files.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [
    `Files of ${inspection.name}@${manifest.descriptor.digest}${platform ? ` (${platform})` : ''}, as its ${layers} ${layers === 1 ? 'layer makes' : 'layers make'} them: ${entries.length}`,
    ...(files.unread.length ? [`(not read, no file system: layer ${files.unread.join(', ')})`] : []),
    '',
    ...entries.map((entry) => mergedEntryText(entry, true)),
  ];
}

/**
 * One entry as a line: its path (a folder's with "/", a link's with where it points), then what it is. `details`
 * adds the mode and a file's short content digest (the listing); without them it is the diff's shorter form.
 */
export function mergedEntryText(entry: MergedEntry, details: boolean): string {
  const mode = entry.mode.toString(8).padStart(4, '0');
  switch (entry.type) {
    case 'directory':
      return details ? `${entry.path}/  (folder, ${mode})` : `${entry.path}/`;
    case 'symlink':
      return `${entry.path} -> ${entry.linkname ?? ''}${details ? `  (link, ${mode})` : ''}`;
    case 'hardlink':
      return `${entry.path}  (hard link to ${entry.linkname ?? ''})`;
    case 'other':
      return `${entry.path}  (special file${details ? `, ${mode}` : ''})`;
    default: {
      const size = `${entry.path}  ${formatBytes(entry.size)}`;
      if (!details) return size;
      return `${size}  ${mode}  ${entry.contentDigest ? shortDigest(entry.contentDigest) : ''}`.trimEnd();
    }
  }
}
