// Hashing bytes: in memory (digestOf, verifyBytes) and while they flow (one Hasher checks size and digest for
// streams and chunk loops alike).
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, OciError, algorithmOf, type Algorithm } from '../oci';

export function digestOf(bytes: Uint8Array | string, algorithm: Algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws DigestMismatchError when `bytes` do not hash to `expected`. */
export function verifyBytes(what: string, bytes: Uint8Array, expected: string, expectedSize?: number): void {
  if (expectedSize !== undefined && bytes.length !== expectedSize) {
    throw new OciError(
      'INVALID_CONTENT',
      `${what}: size mismatch (expected ${expectedSize} bytes, got ${bytes.length})`,
    );
  }
  const actual = digestOf(bytes, algorithmOf(expected));
  if (actual !== expected) throw new DigestMismatchError(what, expected, actual);
}

/**
 * What a pass-through stage may hold on each side. Network chunks are 64 KiB: 256 KiB keeps a few in flight, while
 * 1 MiB per side and stage added ~20 MiB of peak RSS to a copy of four layers in parallel.
 */
export const STREAM_BUFFER = 256 * 1024;

export interface HashingOptions {
  algorithm?: Algorithm;
  expected?: string;
  expectedSize?: number;
  what?: string;
  /** Progress deltas, reported here rather than by another stream stage (one fewer hop per chunk). */
  onBytes?: (delta: number) => void;
}

/**
 * Hashes bytes as they pass and checks them against what was expected: more than `expectedSize` bytes fail at
 * once, a wrong size or digest at `finish`. The one place these checks live, for streams and chunk loops alike.
 */
export class Hasher {
  private readonly hash: Hash;
  readonly algorithm: Algorithm;
  bytes = 0;
  digest: string | undefined;

  constructor(readonly options: HashingOptions = {}) {
    this.algorithm = options.expected ? algorithmOf(options.expected) : (options.algorithm ?? 'sha256');
    this.hash = createHash(this.algorithm);
  }

  /** Adds a chunk; throws when it makes the content longer than expected. */
  update(chunk: Uint8Array): void {
    this.count(chunk.length);
    this.hash.update(chunk);
  }

  /** Counts bytes hashed elsewhere (another thread): the size check and progress of update, without the hash. */
  count(length: number): void {
    this.bytes += length;
    const { expectedSize, what } = this.options;
    if (expectedSize !== undefined && this.bytes > expectedSize) {
      throw new OciError('INVALID_CONTENT', `${what ?? 'content'}: more than the expected ${expectedSize} bytes`);
    }
    this.options.onBytes?.(length);
  }

  /** The digest of everything added; throws when the size or digest differ from what was expected. */
  finish(): string {
    return this.finishWith(this.hash.digest('hex'));
  }

  /** Like finish, for counted bytes whose `hex` digest (in this.algorithm) was computed elsewhere. */
  finishWith(hex: string): string {
    this.digest = `${this.algorithm}:${hex}`;
    const { expected, expectedSize, what } = this.options;
    if (expectedSize !== undefined && this.bytes !== expectedSize) {
      throw new OciError(
        'INVALID_CONTENT',
        `${what ?? 'content'}: size mismatch (expected ${expectedSize} bytes, got ${this.bytes})`,
      );
    }
    if (expected !== undefined && this.digest !== expected)
      throw new DigestMismatchError(what ?? 'content', expected, this.digest);
    return this.digest;
  }

  /** True when this fails unless exactly `descriptor`'s bytes pass (so nobody need hash them again). */
  verifies(descriptor: { digest: string; size: number }): boolean {
    return this.options.expected === descriptor.digest && this.options.expectedSize === descriptor.size;
  }
}

/** A pass-through stream over a Hasher: it fails the stream instead of ending when the content is not as expected. */
export class HashingStream extends Transform {
  private readonly hasher: Hasher;

  constructor(options: HashingOptions | Hasher = {}) {
    super({ highWaterMark: STREAM_BUFFER });
    this.hasher = options instanceof Hasher ? options : new Hasher(options);
  }

  get bytes(): number {
    return this.hasher.bytes;
  }

  get digest(): string | undefined {
    return this.hasher.digest;
  }

  verifies(descriptor: { digest: string; size: number }): boolean {
    return this.hasher.verifies(descriptor);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.hasher.update(chunk);
    } catch (err) {
      callback(err as Error);
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.hasher.finish();
    } catch (err) {
      callback(err as Error);
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
