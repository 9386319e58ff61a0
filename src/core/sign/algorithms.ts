// The Notary Project's algorithm table: the signing key's type and size decide the JWS `alg`, never the caller.
import { constants, sign, verify, type KeyObject } from 'node:crypto';
import { OciError } from '../oci';

export type JwsAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512';

const HASH_OF: Record<JwsAlgorithm, string> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

const EC_CURVES: Record<string, JwsAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const RSA_SIZES: Record<number, JwsAlgorithm> = { 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' };

/** The JWS algorithm for a key (private or public), or why the Notary Project does not allow the key. */
export function algorithmForKey(key: KeyObject): { algorithm: JwsAlgorithm } | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const algorithm = EC_CURVES[details.namedCurve ?? ''];
      return algorithm
        ? { algorithm }
        : { problem: `EC curve ${details.namedCurve ?? '(unknown)'} is not allowed (P-256, P-384 or P-521)` };
    }
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < 2048) return { problem: `RSA keys of ${bits} bits are too small (at least 2048)` };
      const algorithm = RSA_SIZES[bits];
      return algorithm
        ? { algorithm }
        : { problem: `RSA keys of ${bits} bits have no Notary signature algorithm (2048, 3072 or 4096)` };
    }
    case 'rsa-pss':
      // A key restricted to PSS in its own encoding may carry parameters that disagree with the JWS ones.
      return {
        problem:
          'RSASSA-PSS-only keys (id-RSASSA-PSS) are not supported; use a plain RSA key, which is signed with PSS',
      };
    default:
      return { problem: `${key.asymmetricKeyType ?? 'unknown'} keys are not allowed (ECDSA or RSA)` };
  }
}

export function requireAlgorithmForKey(key: KeyObject, what: string): JwsAlgorithm {
  const result = algorithmForKey(key);
  if ('problem' in result) throw new OciError('UNSUPPORTED', `${what}: ${result.problem}`);
  return result.algorithm;
}

/** Why a JWS `alg` value cannot be a Notary signature, or undefined when it can. */
export function algorithmProblem(alg: unknown): string | undefined {
  if (typeof alg !== 'string') return 'the "alg" header is missing';
  if (alg in HASH_OF) return undefined;
  if (/^RS\d+$/.test(alg))
    return `"alg" ${alg} is RSASSA-PKCS1-v1_5; Notary signatures require RSASSA-PSS (PS256/PS384/PS512)`;
  if (alg === 'none' || /^HS\d+$/.test(alg)) return `"alg" ${alg} is not a public-key signature`;
  return `"alg" ${alg} is not one of ES256, ES384, ES512, PS256, PS384, PS512`;
}

// ECDSA signatures in JWS are raw r‖s (ieee-p1363), not DER; PSS uses a salt as long as the hash (RFC 7518 3.5).
function signOptions(alg: JwsAlgorithm, key: KeyObject) {
  return alg.startsWith('ES')
    ? { key, dsaEncoding: 'ieee-p1363' as const }
    : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
}

export function signJws(alg: JwsAlgorithm, privateKey: KeyObject, signingInput: Buffer): Buffer {
  return sign(HASH_OF[alg], signingInput, signOptions(alg, privateKey));
}

export function verifyJws(alg: JwsAlgorithm, publicKey: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  try {
    return verify(HASH_OF[alg], signingInput, signOptions(alg, publicKey), signature);
  } catch {
    return false;
  }
}
