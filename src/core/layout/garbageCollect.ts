// Garbage collection of a layout: keep what index.json reaches (manifests, indexes, their configs, layers,
// children and subjects — fallback-tag indexes of referrers are tagged entries, so referrers are reached),
// remove every other blob and the temp files and pull staging folders crashed writers left behind. It refuses
// a layout whose structure holds a symbolic link (it would delete or read through it).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  isIndex,
  type Descriptor,
  type ImageIndex,
  isDigest,
  throwIfAborted,
  isManifestOrIndex,
  MAX_MANIFEST_BYTES,
} from '../oci';
import {
  LayoutSymlinkError,
  STAGING_PREFIX,
  isStagingFolderName,
  leftOverStagingSize,
  measureTree,
  parseManifestBytes,
  processIsGone,
  readLayoutFile,
} from '../content';

/** What collection needs of a layout (LayoutTarget is one): said here, so this file does not import the store. */
export interface CollectableLayout {
  readonly root: string;
  readonly location: string;
  readIndex(): Promise<ImageIndex>;
  blobPath(digest: string): string;
  /** `file` after checking that no symbolic link leads to it from the layout root. */
  own(file: string): Promise<string>;
}

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
  /** Digests of the blobs removed (or that would be, in a dry run). */
  removed: string[];
  /** The same blobs with their sizes. */
  blobs: { digest: string; size: number }[];
  /** Temp files and pull staging folders crashed writers left, relative to the layout ("/"-separated), with their sizes. */
  temporaries: { path: string; size: number }[];
  /** Bytes of the blobs and temporaries together. */
  freedBytes: number;
  /** Unreferenced blobs kept because they are younger than the grace period (a push may still tag them). */
  young: { digest: string; size: number }[];
}

/**
 * The grace period the CLI and the editor use: unreferenced blobs written in the last 10 minutes are kept, because
 * a push in another process writes its blobs before it tags the manifest that references them.
 */
export const DEFAULT_GC_GRACE_MS = 10 * 60 * 1000;

/** A temporary untouched this long is left over, whatever wrote it. */
export const STALE_TEMP_MS = 60 * 60 * 1000;
/** A writer keeps its temp file busy: untouched this long, with its process gone, the file is left over. */
export const ORPHAN_TEMP_MS = 60 * 1000;

/** Digests reachable from index.json. A manifest whose blob is missing or unreadable is reached but not walked. */
export async function reachableDigests(layout: CollectableLayout, signal?: AbortSignal): Promise<Set<string>> {
  return reachableFrom(
    await layout.readIndex(),
    (digest, what) =>
      readLayoutFile(layout.root, layout.blobPath(digest), MAX_MANIFEST_BYTES, what).catch((err: unknown) => {
        if (err instanceof LayoutSymlinkError) throw err;
        return undefined;
      }),
    layout.location,
    signal,
  );
}

/**
 * Digests reachable from `index` (manifests, indexes, configs, layers, children and subjects), reading manifests
 * through `read` (undefined: missing or unreadable, reached but not walked). Any store's garbage collection.
 */
export async function reachableFrom(
  index: ImageIndex,
  read: (digest: string, what: string) => Promise<Buffer | undefined>,
  location: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const reached = new Set<string>();
  const pending: Descriptor[] = [...index.manifests];
  while (pending.length) {
    throwIfAborted(signal);
    const descriptor = pending.pop()!;
    if (reached.has(descriptor.digest)) continue;
    reached.add(descriptor.digest);
    if (!isManifestOrIndex(descriptor.mediaType) || descriptor.size > MAX_MANIFEST_BYTES) continue;
    const what = `${location}: manifest ${descriptor.digest}`;
    const bytes = await read(descriptor.digest, what);
    if (!bytes) continue;
    const manifest = parseManifestBytes(bytes, what);
    if (isIndex(manifest)) pending.push(...manifest.manifests);
    else {
      if (manifest.config) pending.push(manifest.config);
      pending.push(...(manifest.layers ?? []));
    }
    if (manifest.subject) pending.push(manifest.subject);
  }
  return reached;
}

export async function collectGarbage(
  layout: CollectableLayout,
  options: GarbageCollectOptions,
): Promise<GarbageCollectResult> {
  const { signal, graceMs = 0, dryRun = false } = options;
  const reached = await reachableDigests(layout, signal);
  const result: GarbageCollectResult = { removed: [], blobs: [], temporaries: [], freedBytes: 0, young: [] };
  const blobsDir = await layout.own(path.join(layout.root, 'blobs'));
  const now = Date.now();
  const remove = async (entry: string) => {
    if (!dryRun) await fs.rm(entry, { recursive: true, force: true });
  };
  const temporary = async (entry: string) => {
    const found = await leftOverTemporary(entry, now);
    if (found === undefined) return;
    await remove(entry);
    result.temporaries.push({ path: path.relative(layout.root, entry).split(path.sep).join('/'), size: found });
    result.freedBytes += found;
  };
  for (const entry of await fs.readdir(layout.root, { withFileTypes: true })) {
    if (isTemporaryName(entry.name)) await temporary(path.join(layout.root, entry.name));
  }
  for (const entry of await fs.readdir(blobsDir, { withFileTypes: true })) {
    throwIfAborted(signal);
    const entryPath = path.join(blobsDir, entry.name);
    if (entry.isSymbolicLink()) throw new LayoutSymlinkError(layout.root, `blobs/${entry.name}`);
    if (isTemporaryName(entry.name)) {
      await temporary(entryPath);
      continue;
    }
    if (!entry.isDirectory()) continue;
    for (const blob of await fs.readdir(entryPath, { withFileTypes: true })) {
      const file = path.join(entryPath, blob.name);
      if (blob.isSymbolicLink()) throw new LayoutSymlinkError(layout.root, `blobs/${entry.name}/${blob.name}`);
      if (isTemporaryName(blob.name)) {
        await temporary(file);
        continue;
      }
      const digest = `${entry.name}:${blob.name}`;
      if (!isDigest(digest) || reached.has(digest)) continue;
      const stat = await fs.lstat(file).catch(() => undefined);
      if (!stat?.isFile()) continue;
      if (now - stat.mtimeMs < graceMs) {
        result.young.push({ digest, size: stat.size });
        continue;
      }
      await remove(file);
      result.removed.push(digest);
      result.blobs.push({ digest, size: stat.size });
      result.freedBytes += stat.size;
    }
  }
  return result;
}

/** Names Stowage's writers give their temp files (atomicFile.ts) and pull staging folders (stagingFolder.ts). */
function isTemporaryName(name: string): boolean {
  return (name.startsWith('.stowage-') && name.endsWith('.tmp')) || name.startsWith(STAGING_PREFIX);
}

/**
 * The size of a temporary no live writer is using, or undefined when it may still be in use. A temp file
 * "<prefix><pid>-<random>.tmp" is left over when untouched for a minute and its process is gone (same host:
 * a writer on another host sharing the folder keeps its file's mtime fresh), or when untouched for an hour.
 * A pull's staging folder is judged by its owner (stagingFolder.ts), the one rule pulls use too.
 */
async function leftOverTemporary(entry: string, now: number): Promise<number | undefined> {
  const name = path.basename(entry);
  if (name.startsWith(STAGING_PREFIX)) return isStagingFolderName(name) ? leftOverStagingSize(entry, now) : undefined;
  const { size, newestMtimeMs } = await measureTree(entry);
  const idle = now - newestMtimeMs;
  if (idle > STALE_TEMP_MS) return size;
  const pid = /-(\d+)-[0-9a-f]+\.tmp$/.exec(name)?.[1];
  return pid !== undefined && idle > ORPHAN_TEMP_MS && processIsGone(Number(pid)) ? size : undefined;
}
