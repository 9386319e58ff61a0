// The referrer graph's tab title: "Referrers: demo/artifact:v1". The whole repository path, since the last part
// alone ("artifact") is ambiguous across namespaces, shortened in the middle when very long; the registry host is
// left out (a tab is narrow); a layout by its folder's name. Free of the editor API (unit-tested).
import { formatReference, shortDigest, type StoreRef } from '../../core/oci';

/** Longest repository path shown whole in a tab title. */
const MAX_REPOSITORY_CHARS = 40;

/** The title for the graph of `reference`, which names `store` and a tag or a digest. */
export function graphTitle(store: StoreRef, reference: string): string {
  const base = formatReference(store);
  const version = reference.startsWith(base) ? reference.slice(base.length) : '';
  const at = version.indexOf('@');
  const shortVersion =
    at >= 0 ? `${version.slice(0, at)}@${shortDigest(version.slice(at + 1), { withAlgorithm: true })}…` : version;
  const name = store.kind === 'registry' ? shortenedPath(store.repository) : lastPart(store.path);
  return `Referrers: ${name}${shortVersion}`;
}

/**
 * A repository path of at most MAX_REPOSITORY_CHARS: whole when it fits, else its first part (the namespace, often
 * the team), "…" and as many of its last parts as fit; the last part is always kept (cut from its start if alone it
 * is too long).
 */
export function shortenedPath(repository: string, max = MAX_REPOSITORY_CHARS): string {
  if (repository.length <= max) return repository;
  const parts = repository.split('/');
  const last = parts.pop()!;
  if (last.length + 2 > max) return `…${last.slice(last.length - (max - 1))}`;
  const first = parts.shift();
  let tail = last;
  while (parts.length && `${first}/…/${parts.at(-1)}/${tail}`.length <= max) tail = `${parts.pop()}/${tail}`;
  return first !== undefined && `${first}/…/${tail}`.length <= max ? `${first}/…/${tail}` : `…/${tail}`;
}

function lastPart(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/**
 * The file name Export SVG suggests: `<repository-or-layout-name>-<tag-or-short-digest>-referrers.svg`, from the
 * repository's last part or the layout's folder (an archive without its .tar), and the tag, else the first 12 hex
 * digits of the digest; anything but letters, digits, `.`, `_` and `-` becomes `-` (a name valid on every system).
 */
export function graphExportFileName(store: StoreRef, reference: string): string {
  const base = formatReference(store);
  const version = reference.startsWith(base) ? reference.slice(base.length) : '';
  const at = version.indexOf('@');
  const tag = (at >= 0 ? version.slice(0, at) : version).replace(/^:/, '');
  const which = tag || (at >= 0 ? shortDigest(version.slice(at + 1)) : '');
  const name =
    store.kind === 'registry'
      ? (store.repository.split('/').pop() ?? store.repository)
      : lastPart(store.path).replace(/\.tar$/i, '');
  return `${[name, which].filter(Boolean).map(fileSafe).join('-')}-referrers.svg`;
}

function fileSafe(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+|-+$/g, '')
      .slice(0, 80) || 'graph'
  );
}
