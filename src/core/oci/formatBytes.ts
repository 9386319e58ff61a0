// One way to show a size to a person (CLI, tree, dialogs, webview): binary units, one decimal below 10.
// Pure and Node-free, so the webview bundles the same function.
import { isIndexType } from './mediaTypes';

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '? B';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * "manifest 713 B", "index 1.2 KiB": the size of a manifest's own JSON, labelled, because beside it the tree shows
 * what the manifest carries ("content 2.5 KiB", its layers) and the two must not read as one size disagreeing.
 */
export function formatManifestSize(descriptor: { mediaType: string; size: number }): string {
  return `${isIndexType(descriptor.mediaType) ? 'index' : 'manifest'} ${formatBytes(descriptor.size)}`;
}

/** "content 2.5 KiB": what a manifest's layers hold together (an SBOM's document, an artifact's files). */
export function formatContentSize(bytes: number): string {
  return `content ${formatBytes(bytes)}`;
}
