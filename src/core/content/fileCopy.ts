// Storing a blob that is a local file (or a byte range of one, a blob inside a layout archive): copied into a temp
// file through the ring of pipelinedCopy.ts, hashed once on the way, flushed to disk as it grows and synced at the
// end; the caller renames it into place. Against fileChunks into chunksToTempFile (read, hash, write one after the
// other on reused buffers), the read and the write overlap the hashing.
import { promises as fs } from 'node:fs';
import { DigestMismatchError, OciError } from '../oci';
import { tempPathIn, removeQuietly } from './atomicFile';
import { BackgroundFlush } from './backgroundFlush';
import type { Hasher } from './hashing';
import { FLUSH_EVERY } from './hashingFileWrite';
import { openNoFollow } from './noSymlinks';
import { copyPipelined } from './pipelinedCopy';
import { readAllAt } from './readAllAt';
import type { BlobFile } from './target';
import { writeAllAt } from './writeAllAt';

/**
 * Copies the blob in `blob.path` (its `range`, or all of it) into a fresh temp file in `dir` through
 * `hasher`, which must expect a size: fails, leaving nothing behind, when the bytes differ from what it expects
 * (a whole file longer or shorter than that size included). Returns the temp file's path.
 */
export async function copyFileToTemp(
  blob: BlobFile,
  dir: string,
  hasher: Hasher,
  signal?: AbortSignal,
): Promise<string> {
  const { expectedSize, what = blob.path } = hasher.options;
  if (expectedSize === undefined) throw new Error('copyFileToTemp needs the size the hasher expects');
  const offset = blob.range?.offset ?? 0;
  const size = blob.range?.size ?? expectedSize;
  const source = blob.checked
    ? (await openNoFollow(blob.path, blob.path, blob.checked)).handle
    : await fs.open(blob.path, 'r');
  const temp = tempPathIn(dir);
  try {
    const target = await fs.open(temp, 'wx');
    const flush = new BackgroundFlush(target, FLUSH_EVERY);
    try {
      let position = 0;
      await copyPipelined(
        size,
        (buffer, at) =>
          readAllAt(source, buffer, offset + at, (got) =>
            blob.range ? rangeEnded(blob, at + got) : sizeMismatch(what, expectedSize, at + got),
          ),
        async (chunk) => {
          const at = position;
          position += chunk.length;
          await writeAllAt(target, [chunk], at);
          flush.after(position);
        },
        hasher,
        signal,
      );
      // A whole file must end where the blob does: one byte more is content the digest did not cover.
      if (!blob.range && (await source.read(Buffer.alloc(1), 0, 1, offset + size)).bytesRead > 0) hasher.count(1);
      hasher.finish();
      await flush.settled();
      await target.datasync();
    } finally {
      await flush.settled().catch(() => undefined);
      await target.close();
    }
  } catch (err) {
    await removeQuietly(temp);
    // Bytes of a range that are not the blob: the file they were read from holds other bytes under its name.
    if (blob.range?.what && err instanceof DigestMismatchError)
      throw new DigestMismatchError(blob.range.what, err.expected, err.actual);
    throw err;
  } finally {
    await source.close();
  }
  return temp;
}

/** A range that runs past the end of its file: the file (an archive) was cut short or rewritten since it was indexed. */
function rangeEnded(blob: BlobFile, got: number): OciError {
  return new OciError(
    'LAYOUT',
    `${blob.range!.what ?? blob.path}: the file ended after ${got} of ${blob.range!.size} bytes (cut short or rewritten since it was read)`,
  );
}

function sizeMismatch(what: string, expected: number, got: number): OciError {
  return new OciError('INVALID_CONTENT', `${what}: size mismatch (expected ${expected} bytes, got ${got})`);
}
