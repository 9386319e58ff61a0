// Digests: grammar, hashing of bytes, and a pass-through stream that hashes while data flows.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, OciError } from './errors';

const ENCODED_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export type Algorithm = 'sha256' | 'sha512';

/** Why `digest` is not a usable digest, or undefined when it is one. */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST_GRAMMAR.test(digest)) return 'not of the form <algorithm>:<hex>';
  const [algorithm, encoded] = digest.split(':') as [string, string];
  const length = ENCODED_LENGTH[algorithm];
  if (length === undefined) return `unsupported algorithm "${algorithm}" (sha256 or sha512)`;
  if (!/^[a-f0-9]+$/.test(encoded)) return `${algorithm} digests are lowercase hex`;
  if (encoded.length !== length) return `${algorithm} digests have ${length} hex characters, not ${encoded.length}`;
  return undefined;
}

export function isDigest(digest: string): boolean {
  return digestProblem(digest) === undefined;
}

export function assertDigest(digest: string, what = 'digest'): Algorithm {
  const problem = digestProblem(digest);
  if (problem) throw new OciError('INVALID_CONTENT', `${what} "${digest}" is invalid: ${problem}`);
  return digest.slice(0, digest.indexOf(':')) as Algorithm;
}

export function algorithmOf(digest: string): Algorithm {
  return assertDigest(digest);
}

export function encodedOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export function digestOf(bytes: Uint8Array | string, algorithm: Algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws DigestMismatchError when `bytes` do not hash to `expected`. */
export function verifyBytes(what: string, bytes: Uint8Array, expected: string, expectedSize?: number): void {
  if (expectedSize !== undefined && bytes.length !== expectedSize) {
    throw new OciError('INVALID_CONTENT', `${what}: size mismatch (expected ${expectedSize} bytes, got ${bytes.length})`);
  }
  const actual = digestOf(bytes, algorithmOf(expected));
  if (actual !== expected) throw new DigestMismatchError(what, expected, actual);
}

/**
 * A pass-through that hashes what flows through it. With `expected`, it fails the stream at the end when the
 * digest or size differ, and as soon as more than `expectedSize` bytes arrive, so nothing unverified is trusted.
 */
export class HashingStream extends Transform {
  private readonly hash: Hash;
  private readonly algorithm: Algorithm;
  bytes = 0;
  digest: string | undefined;

  constructor(private readonly options: { algorithm?: Algorithm; expected?: string; expectedSize?: number; what?: string; initial?: Hash; initialBytes?: number } = {}) {
    super({ highWaterMark: 1024 * 1024 });
    this.algorithm = options.expected ? algorithmOf(options.expected) : (options.algorithm ?? 'sha256');
    this.hash = options.initial ?? createHash(this.algorithm);
    this.bytes = options.initialBytes ?? 0;
  }

  /** True when this stream fails unless exactly `descriptor`'s bytes flow through it (so nobody need hash them again). */
  verifies(descriptor: { digest: string; size: number }): boolean {
    return this.options.expected === descriptor.digest && this.options.expectedSize === descriptor.size;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { expectedSize, what } = this.options;
    if (expectedSize !== undefined && this.bytes > expectedSize) {
      callback(new OciError('INVALID_CONTENT', `${what ?? 'content'}: more than the expected ${expectedSize} bytes`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = `${this.algorithm}:${this.hash.digest('hex')}`;
    const { expected, expectedSize, what } = this.options;
    if (expectedSize !== undefined && this.bytes !== expectedSize) {
      callback(new OciError('INVALID_CONTENT', `${what ?? 'content'}: size mismatch (expected ${expectedSize} bytes, got ${this.bytes})`));
      return;
    }
    if (expected !== undefined && this.digest !== expected) {
      callback(new DigestMismatchError(what ?? 'content', expected, this.digest));
      return;
    }
    callback();
  }
}

/**
 * True when `stream` is a HashingStream already checking `descriptor`: it errors instead of ending on a mismatch,
 * so a consumer that only commits after a clean end may skip a second hash of the same bytes (about 1 s per GiB).
 */
export function alreadyVerifies(stream: unknown, descriptor: { digest: string; size: number }): boolean {
  return stream instanceof HashingStream && stream.verifies(descriptor);
}
