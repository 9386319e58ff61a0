// Garbage collection of a layout: keep what index.json reaches (manifests, indexes, their configs, layers,
// children and subjects — fallback-tag indexes of referrers are tagged entries, so referrers are reached),
// remove every other blob and the temp files crashed writers left behind.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isIndex, type Descriptor } from '../descriptor';
import { isDigest } from '../digest';
import { throwIfAborted } from '../errors';
import { isManifestOrIndex, MAX_MANIFEST_BYTES } from '../mediaTypes';
import type { LayoutTarget } from './LayoutTarget';
import { parseManifestBytes } from './manifestBytes';

export interface GarbageCollectOptions {
  signal?: AbortSignal;
  /**
   * Keep unreferenced blobs written or touched within this many milliseconds (default 0: remove all).
   * Pass a grace period when other processes may be pushing into the layout while it is collected: they
   * write blobs before they tag the manifest that references them.
   */
  graceMs?: number;
  /** List what would be removed without removing it. */
  dryRun?: boolean;
}

export interface GarbageCollectResult {
  removed: string[];
  freedBytes: number;
}

const STALE_TEMP_MS = 60 * 60 * 1000;

/** Digests reachable from index.json. A manifest whose blob is missing or unreadable is reached but not walked. */
export async function reachableDigests(layout: LayoutTarget, signal?: AbortSignal): Promise<Set<string>> {
  const index = await layout.readIndex();
  const reached = new Set<string>();
  const pending: Descriptor[] = [...index.manifests];
  while (pending.length) {
    throwIfAborted(signal);
    const descriptor = pending.pop()!;
    if (reached.has(descriptor.digest)) continue;
    reached.add(descriptor.digest);
    if (!isManifestOrIndex(descriptor.mediaType) || descriptor.size > MAX_MANIFEST_BYTES) continue;
    const bytes = await fs.readFile(layout.blobPath(descriptor.digest)).catch(() => undefined);
    if (!bytes) continue;
    const manifest = parseManifestBytes(bytes, `${layout.location}: manifest ${descriptor.digest}`);
    if (isIndex(manifest)) pending.push(...manifest.manifests);
    else {
      if (manifest.config) pending.push(manifest.config);
      pending.push(...(manifest.layers ?? []));
    }
    if (manifest.subject) pending.push(manifest.subject);
  }
  return reached;
}

export async function collectGarbage(layout: LayoutTarget, options: GarbageCollectOptions): Promise<GarbageCollectResult> {
  const { signal, graceMs = 0, dryRun = false } = options;
  const reached = await reachableDigests(layout, signal);
  const result: GarbageCollectResult = { removed: [], freedBytes: 0 };
  const blobsDir = path.join(layout.root, 'blobs');
  const now = Date.now();
  for (const entry of await fs.readdir(blobsDir, { withFileTypes: true })) {
    throwIfAborted(signal);
    const entryPath = path.join(blobsDir, entry.name);
    if (entry.isFile() && entry.name.startsWith('.stowage-') && entry.name.endsWith('.tmp')) {
      const stat = await fs.stat(entryPath).catch(() => undefined);
      if (stat && now - stat.mtimeMs > STALE_TEMP_MS && !dryRun) await fs.rm(entryPath, { force: true });
      continue;
    }
    if (!entry.isDirectory()) continue;
    for (const name of await fs.readdir(entryPath)) {
      const digest = `${entry.name}:${name}`;
      if (!isDigest(digest) || reached.has(digest)) continue;
      const file = path.join(entryPath, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat?.isFile() || now - stat.mtimeMs < graceMs) continue;
      if (!dryRun) await fs.rm(file, { force: true });
      result.removed.push(digest);
      result.freedBytes += stat.size;
    }
  }
  return result;
}
