// What finish() and garbage collection write an archive from: the blobs a staging layout holds, small files given
// as bytes, index.json in a fixed order (the same content, the same bytes); and a folder's refusal to take the
// archive, in words.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Annotation, OciError, type Descriptor, type ImageIndex } from '../oci';
import { digestOfBlobName } from './archiveNames';
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
  const key = (d: Descriptor) => `${d.annotations?.[Annotation.refName] ?? '\uffff'}\u0000${d.digest}`;
  return { ...index, manifests: [...index.manifests].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
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
