// A file's digest and size by streaming it once, nothing kept: a config file to describe, or a file checked against
// the digest a user named before anything is sent.
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashingStream, type HashingOptions } from './hashing';

/** Fails (DigestMismatchError, naming `options.what`) when `options.expected` is given and the file differs. */
export async function hashFile(
  file: string,
  options: HashingOptions = {},
  signal?: AbortSignal,
): Promise<{ digest: string; size: number }> {
  const hash = new HashingStream(options);
  await pipeline(
    createReadStream(file, { highWaterMark: 1024 * 1024 }),
    hash,
    new Writable({ write: (_chunk, _encoding, done) => done() }),
    { signal },
  );
  return { digest: hash.digest!, size: hash.bytes };
}
