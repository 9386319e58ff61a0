// A pass-through that fails once more than `limit` bytes have flowed: the bound on a decompressed stream (a gzip
// bomb expands far beyond its compressed size, and a bomb of tar headers holds no file bytes to count).
import { Transform } from 'node:stream';
import { SizeExceededError } from '../oci';

/** Fails with SizeExceededError naming `what` past `limit` bytes. */
export function limitBytes(limit: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new SizeExceededError(what, limit));
      else callback(null, chunk);
    },
  });
}
