// How a layout archive's pieces are named: its staging folder beside it, its blob entries (`blobs/<alg>/<hex>`),
// and the compressed archives it refuses (reading by byte range needs a plain tar).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { algorithmOf, encodedOf, isDigest, OciError } from '../oci';
import { isGzip } from './archiveEntries';

export const COMPRESSED_NAME = /\.(tar\.gz|tgz|tar\.zst|tar\.xz|tar\.bz2)$/i;

/** The staging folder of an archive: hidden, beside it (same file system, so nothing crosses devices). */
export function stagingFolderOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.stowage-partial`);
}

/** The archive whose staging folder `folder` is, or undefined when it is no archive's staging folder. */
export function archiveOfStagingFolder(folder: string): string | undefined {
  const name = /^\.(.+)\.stowage-partial$/.exec(path.basename(folder))?.[1];
  return name ? path.join(path.dirname(folder), name) : undefined;
}

export async function refuseCompressed(file: string, where: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (isGzip(head)) {
      throw new OciError(
        'UNSUPPORTED',
        `${where} is gzip-compressed: Stowage reads layout archives as plain tar, by byte ranges (as ORAS does); decompress it first (gunzip)`,
      );
    }
  } finally {
    await handle.close();
  }
}

/**
 * True when `file` is a blob of an OCI layout (…/blobs/<alg>/<encoded> of this very digest): content-addressed, so
 * it is there, unchanged, until that layout's gc, and can be read at finish(). Other local files may be gone by
 * then (a folder packed into a temp .tar.gz for a push is removed when the push returns): those are staged.
 */
export function isLayoutBlobFile(file: string, digest: string): boolean {
  const parts = path.resolve(file).split(path.sep);
  return parts.slice(-3).join('/') === blobName(digest);
}

/** "sha256:<64 hex>" → "blobs/sha256/<64 hex>". */
export function blobName(digest: string): string {
  return `blobs/${algorithmOf(digest)}/${encodedOf(digest)}`;
}

/** "blobs/sha256/<64 hex>" → "sha256:<64 hex>"; undefined for anything else (folders, temp files, strays). */
export function digestOfBlobName(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length !== 3 || parts[0] !== 'blobs') return undefined;
  const digest = `${parts[1]}:${parts[2]}`;
  return isDigest(digest) ? digest : undefined;
}
