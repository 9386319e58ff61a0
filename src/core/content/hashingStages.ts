// Blob content opened for storing, checked by a Hasher on the way: a local file through reused buffers
// (fileChunks.ts), any other content as its stream. The one place registry uploads and layout writes open what
// they store, so both read files the cheap way and neither hashes twice.
import { pipeline, type Readable, type Transform } from 'node:stream';
import { DigestMismatchError } from '../oci';
import { byteCounter } from './byteCounter';
import { alreadyVerifies, HashingStream, type Hasher } from './hashing';
import { fileChunks, hashingChunks } from './fileChunks';
import type { BlobContent } from './target';

/** Chunks to consume in order (each finished before the one after next is asked for), or a stream. */
export type HashingContent = AsyncGenerator<Buffer> | Readable;

/**
 * Opens `content` through `hasher`, which checks the size as bytes pass and the digest at the end (failing the
 * stream or generator). A stream that already checks the same digest and size (a verified download) is only
 * counted, not hashed again.
 */
export async function openHashing(content: BlobContent, hasher: Hasher, signal?: AbortSignal): Promise<HashingContent> {
  if (content.file) {
    const { fileRange: range } = content;
    const chunks = hashingChunks(
      fileChunks(content.file, {
        size: hasher.options.expectedSize,
        start: range?.offset,
        length: range?.size,
        what: range?.what,
        signal,
        checked: content.fileChecked,
      }),
      hasher,
    );
    return range?.what ? mismatchNamedAs(chunks, range.what) : chunks;
  }
  const source = await content(0, signal);
  const [stage] = hashingStages(source, hasher);
  return stage ? pipeline(source, stage, () => undefined) : source;
}

/**
 * A range that is not the blob it is named for is the fault of the file it was read from (an archive holding other
 * bytes under a blob's name), not of the store it was sent to: the digest mismatch names the range.
 */
async function* mismatchNamedAs(chunks: AsyncGenerator<Buffer>, what: string): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (err) {
    throw err instanceof DigestMismatchError ? new DigestMismatchError(what, err.expected, err.actual) : err;
  }
}

/**
 * The stages that put `source` through `hasher`: none but a progress counter when `source` already checks the
 * same digest and size (a verified download), else a HashingStream (which also reports progress).
 */
export function hashingStages(source: Readable, hasher: Hasher): Transform[] {
  const { onBytes } = hasher.options;
  if (sourceVerifies(source, hasher)) return onBytes ? [byteCounter(onBytes)] : [];
  return [new HashingStream(hasher)];
}

/** True when `source` already checks the digest and size `hasher` expects (a verified download): count, not hash. */
export function sourceVerifies(source: unknown, hasher: Hasher): boolean {
  const { expected, expectedSize } = hasher.options;
  return (
    expected !== undefined &&
    expectedSize !== undefined &&
    alreadyVerifies(source, { digest: expected, size: expectedSize })
  );
}
