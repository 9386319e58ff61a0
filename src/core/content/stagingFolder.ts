// A pull's staging folder ("<folder>/.stowage-pull-XXXXXX"), and the rule that tells a killed pull's leftover
// from a folder a running pull still fills. Each staging folder holds an owner file naming its process (see
// processes.ts); the owner refreshes the file's mtime while it works. A staging folder is left over when:
// - its owner is gone (judged from the same host, boot and pid namespace; a reused pid is told by its start time);
// - its owner was recorded elsewhere (another host or container sharing the folder) and the owner file has not
//   been refreshed for an hour;
// - it has no readable owner file (killed between creating it and writing the file, or made by an older
//   version) and nothing in it changed for an hour.
// A folder whose owner still runs here is never touched, however long it sleeps (a stopped `stowage pull`).
//
// Sweeping looks only at entries of the one folder it is given whose names match exactly, that are real folders
// (never a link: readdir's types and lstat do not follow links, and rm removes a link itself, never its target).
// What Node cannot guard: a folder *above* the staging folder swapped for a link between the check and the
// removal (that needs openat/unlinkat relative to a held descriptor, which Node lacks).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { currentProcessOwner, ownerState, type ProcessOwner } from './processes';
import { removeTree } from './removeTree';
import { readLayoutFile } from './noSymlinks';

export const STAGING_PREFIX = '.stowage-pull-';
/** mkdtemp's six letters or digits after the prefix: nothing else is ever taken for a staging folder. */
const STAGING_NAME = /^\.stowage-pull-[A-Za-z0-9]{6}$/;
const OWNER_FILE = '.stowage-owner';
const MAX_OWNER_BYTES = 4096;
/** Without an owner that can be judged, a staging folder untouched this long is left over. */
export const STALE_STAGING_MS = 60 * 60 * 1000;
const HEARTBEAT_MS = 60 * 1000;

export interface StagingFolder {
  readonly path: string;
  /** Stops refreshing the owner file and removes the folder with everything in it. */
  remove(): Promise<void>;
  /** Stops refreshing the owner file and leaves the folder as it is (it holds something that must not be lost). */
  leave(): void;
}

export interface LeftOverStaging {
  path: string;
  /** Bytes of the files in it. */
  size: number;
}

export function isStagingFolderName(name: string): boolean {
  return STAGING_NAME.test(name);
}

/** Creates a staging folder in `folder`, owned by this process until `remove()`. */
export async function createStagingFolder(folder: string): Promise<StagingFolder> {
  const staging = await fs.mkdtemp(path.join(folder, STAGING_PREFIX));
  const ownerFile = path.join(staging, OWNER_FILE);
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(ownerFile, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const remove = async () => {
    clearInterval(heartbeat);
    await removeTree(staging);
  };
  try {
    await fs.writeFile(ownerFile, JSON.stringify(await currentProcessOwner()), { flag: 'wx' });
  } catch (err) {
    await remove();
    throw err;
  }
  return { path: staging, remove, leave: () => clearInterval(heartbeat) };
}

/** The staging folders directly in `folder` that no running pull owns, with their sizes. */
export async function leftOverStagingFolders(folder: string, now = Date.now()): Promise<LeftOverStaging[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  const found: LeftOverStaging[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isStagingFolderName(entry.name)) continue;
    const staging = path.join(folder, entry.name);
    const size = await leftOverStagingSize(staging, now);
    if (size !== undefined) found.push({ path: staging, size });
  }
  return found;
}

/**
 * Removes the staging folders killed pulls left directly in `folder` (see the rule above); what it removed.
 * Best effort: a folder that cannot be read or removed is skipped, never a reason to fail the caller.
 */
export async function removeLeftOverStagingFolders(folder: string): Promise<LeftOverStaging[]> {
  const removed: LeftOverStaging[] = [];
  for (const leftOver of await leftOverStagingFolders(folder).catch(() => [])) {
    // Judged a moment ago; the entry is checked once more right before it goes (still a folder, not a link).
    const stat = await fs.lstat(leftOver.path).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    if (
      await removeTree(leftOver.path).then(
        () => true,
        () => false,
      )
    )
      removed.push(leftOver);
  }
  return removed;
}

/** The size of a staging folder no running pull owns, undefined while it may be in use (or is not a folder). */
export async function leftOverStagingSize(staging: string, now = Date.now()): Promise<number | undefined> {
  const stat = await fs.lstat(staging).catch(() => undefined);
  if (!stat?.isDirectory() || !isStagingFolderName(path.basename(staging))) return undefined;
  const ownerFile = path.join(staging, OWNER_FILE);
  const owner = await readOwner(staging, ownerFile);
  const { size, newestMtimeMs } = await measureTree(staging);
  if (!owner) return now - newestMtimeMs > STALE_STAGING_MS ? size : undefined;
  switch (await ownerState(owner.record)) {
    case 'gone':
      return size;
    case 'running':
      return undefined;
    case 'unknown':
      return now - owner.mtimeMs > STALE_STAGING_MS ? size : undefined;
  }
}

async function readOwner(
  staging: string,
  ownerFile: string,
): Promise<{ record: ProcessOwner; mtimeMs: number } | undefined> {
  try {
    const [bytes, stat] = await Promise.all([
      readLayoutFile(staging, ownerFile, MAX_OWNER_BYTES, `${ownerFile}`),
      fs.lstat(ownerFile),
    ]);
    const record = JSON.parse(bytes.toString('utf8')) as Partial<ProcessOwner>;
    if (!Number.isSafeInteger(record.pid) || typeof record.host !== 'string') return undefined;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      record: {
        pid: record.pid!,
        host: record.host,
        start: text(record.start),
        boot: text(record.boot),
        pidNamespace: text(record.pidNamespace),
      },
      mtimeMs: stat.mtimeMs,
    };
  } catch {
    return undefined;
  }
}

/** Total size of the files and newest mtime of a folder tree, without following links. */
export async function measureTree(entry: string): Promise<{ size: number; newestMtimeMs: number }> {
  const stat = await fs.lstat(entry);
  let size = stat.isFile() ? stat.size : 0;
  let newestMtimeMs = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const child of await fs.readdir(entry)) {
      const inner = await measureTree(path.join(entry, child)).catch(() => ({ size: 0, newestMtimeMs: 0 }));
      size += inner.size;
      newestMtimeMs = Math.max(newestMtimeMs, inner.newestMtimeMs);
    }
  }
  return { size, newestMtimeMs };
}
