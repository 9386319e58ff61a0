// Digests: their grammar (hashing bytes and streams is content/hashing.ts: this package stays free of Node).
import { OciError, printable } from './errors';

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
  if (problem) throw new OciError('INVALID_CONTENT', `${what} "${printable(digest)}" is invalid: ${problem}`);
  return digest.slice(0, digest.indexOf(':')) as Algorithm;
}

export function algorithmOf(digest: string): Algorithm {
  return assertDigest(digest);
}

export function encodedOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}
