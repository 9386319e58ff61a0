// Blob content held in memory (a small config, a signature envelope), as stores take content: opened at an offset.
import { Readable } from 'node:stream';
import type { BlobContent } from './target';

export function bytesContent(bytes: Buffer): BlobContent {
  return async (offset: number) => Readable.from([bytes.subarray(offset)]);
}
