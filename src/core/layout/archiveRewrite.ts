// What finish() and garbage collection write an archive from: the blobs a staging layout holds, small files given
// as bytes, index.json in a fixed order (the same content, the same bytes); and a folder's refusal to take the
// archive, in words.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Annotation, OciError, type Descriptor, type ImageIndex } from '../oci';
import { digestOfBlobName } from './archiveNames';
import { indexTextPieces } from './indexText';
import type { ArchiveFile } from './archiveWriter';
import { StagedBlobList } from './stagedBlobList';
import type { LayoutTarget } from './LayoutTarget';

/**
 * The blobs a staging layout holds (verified when they were written; temp files are not blobs), listed compactly
 * (stagedBlobList.ts). Each folder is read as a stream of names, not as one array of 120,000 strings.
 */
export async function stagedBlobs(staging: LayoutTarget): Promise<StagedBlobList> {
  const blobs = new StagedBlobList(staging.root);
  const root = path.join(staging.root, 'blobs');
  for (const algorithm of await fs.readdir(root).catch(() => [] as string[])) {
    const folder = await fs.opendir(path.join(root, algorithm)).catch(() => undefined);
    if (!folder) continue;
    for await (const entry of folder) {
      const name = `blobs/${algorithm}/${entry.name}`;
      if (!digestOfBlobName(name)) continue;
      const file = await staging.own(path.join(root, algorithm, entry.name));
      const stat = await fs.lstat(file);
      if (!stat.isFile()) continue;
      // Opened only as the file checked here, never through a link; only its identity is kept, not the whole Stats.
      // Hashed again as it is written: it was verified when staged, but staging sits beside the archive (a failed
      // run's for days), and a file written in place or through a hard link keeps its device and inode.
      blobs.add(name, stat.size, stat.dev, stat.ino);
    }
  }
  return blobs;
}

export function bytesFile(name: string, bytes: Buffer): ArchiveFile {
  return { name, size: bytes.length, source: { bytes } };
}

/** index.json with its entries in a fixed order (by ref.name, then digest): the same content, the same bytes. */
export function canonicalIndex(index: ImageIndex): ImageIndex {
  const name = (d: Descriptor) => d.annotations?.[Annotation.refName] ?? '\uffff';
  // As comparing `${ref.name}\0${digest}` of each, without making those strings: a sort of 20,000 entries (a backup
  // of 10,000 signed tags) made about a million of them.
  const compare = (a: Descriptor, b: Descriptor) => compareJoined(name(a), a.digest, name(b), b.digest);
  return { ...index, manifests: [...index.manifests].sort(compare) };
}

/** `a1 + "\0" + a2` against `b1 + "\0" + b2` by UTF-16 code units (as `<` compares strings), not built. */
function compareJoined(a1: string, a2: string, b1: string, b2: string): number {
  const aLength = a1.length + 1 + a2.length;
  const bLength = b1.length + 1 + b2.length;
  const at = (first: string, second: string, i: number) =>
    i < first.length ? first.charCodeAt(i) : i === first.length ? 0 : second.charCodeAt(i - first.length - 1);
  for (let i = 0; i < aLength && i < bLength; i++) {
    const d = at(a1, a2, i) - at(b1, b2, i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return aLength === bLength ? 0 : aLength < bLength ? -1 : 1;
}

/**
 * canonicalIndex's JSON as bytes, the same as Buffer.from(JSON.stringify(…)): counted in pieces first, then written
 * into one buffer of that size, so that a 4.9 MB index is not held as a string and its copy at once when an archive
 * of 10,000 signed tags is written.
 */
export function canonicalIndexBytes(index: ImageIndex): Buffer {
  const canonical = canonicalIndex(index);
  const counted = { bytes: 0 };
  for (const _piece of indexTextPieces(canonical, counted));
  const bytes = Buffer.allocUnsafe(counted.bytes);
  let at = 0;
  for (const piece of indexTextPieces(canonical, { bytes: 0 })) at += bytes.write(piece, at, 'utf8');
  return bytes;
}

/** Why a folder takes no new file, in words, for the codes that mean it will not whatever is retried. */
const FOLDER_REFUSALS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/** A write refused by the archive's folder, told as that: the archive cannot be written there. */
export function folderRefusedWrites(err: unknown, location: string, folder: string): unknown {
  const words = FOLDER_REFUSALS[(err as NodeJS.ErrnoException | undefined)?.code ?? ''];
  if (!words) return err;
  return new OciError(
    'LAYOUT',
    `${location} cannot be written: its folder ${folder} takes no new files (${words}); choose another place for it`,
    { cause: err },
  );
}
