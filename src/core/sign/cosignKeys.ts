// cosign public keys (PEM) and the signature schemes cosign uses with them. The scheme is not recorded in the
// signature, so the key decides it: ECDSA with SHA-256 (ASN.1 DER signature; P-384/P-521 also with the
// curve's own hash, which newer sigstore libraries choose), RSA PKCS#1 v1.5 with SHA-256, or Ed25519.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { OciError } from '../oci';

export interface CosignPublicKey {
  key: KeyObject;
  /** What the user calls it (a file name), for messages. */
  name: string;
  /** `ECDSA P-256`, `RSA 3072`, `Ed25519`. */
  description: string;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const CURVE_HASHES: Record<string, string[]> = {
  prime256v1: ['sha256'],
  secp384r1: ['sha256', 'sha384'],
  secp521r1: ['sha256', 'sha512'],
};

function describe(key: KeyObject): string | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = CURVE_NAMES[details.namedCurve ?? ''];
      return curve
        ? `ECDSA ${curve}`
        : { problem: `EC curve ${details.namedCurve ?? '(unknown)'} is not supported (P-256, P-384 or P-521)` };
    }
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      return bits >= 2048 ? `RSA ${bits}` : { problem: `RSA keys of ${bits} bits are too small (at least 2048)` };
    }
    case 'ed25519':
      return 'Ed25519';
    default:
      return { problem: `${key.asymmetricKeyType ?? 'unknown'} keys are not supported (ECDSA, RSA or Ed25519)` };
  }
}

/** A public key from PEM (a certificate's key is not accepted here: keyless material is checked elsewhere). */
export function parseCosignPublicKey(pem: string, name: string): CosignPublicKey {
  // Node would derive the public half from a private key; a private key in a trust list is a mistake to stop.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw new OciError('USAGE', `cosign public key ${name}: this is a private key; give the public key (cosign.pub)`);
  // Node would take a certificate's key too, checking nothing of the certificate (validity, issuer): say so instead.
  if (/-----BEGIN CERTIFICATE-----/.test(pem))
    throw new OciError(
      'USAGE',
      `cosign public key ${name}: this is a certificate, not a public key; its key alone would be trusted, whatever its dates and issuer say. To trust that key: openssl x509 -pubkey -noout -in "${name}" > key.pub, and give key.pub`,
    );
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new OciError('INVALID_CONTENT', `cosign public key ${name}: not a PEM public key`, { cause: err });
  }
  if (key.type !== 'public') throw new OciError('INVALID_CONTENT', `cosign public key ${name}: not a public key`);
  const description = describe(key);
  if (typeof description !== 'string')
    throw new OciError('UNSUPPORTED', `cosign public key ${name}: ${description.problem}`);
  const fingerprint = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  return { key, name, description, fingerprint };
}

/** True when `signature` is a valid signature of `payload` under `publicKey` in a scheme cosign uses for it. */
export function verifyCosignBytes(publicKey: KeyObject, payload: Buffer, signature: Buffer): boolean {
  const hashes =
    publicKey.asymmetricKeyType === 'ec'
      ? (CURVE_HASHES[publicKey.asymmetricKeyDetails?.namedCurve ?? ''] ?? [])
      : publicKey.asymmetricKeyType === 'rsa'
        ? ['sha256']
        : [];
  try {
    // Ed25519 signs the message itself (no separate hash); Node's default RSA padding is PKCS#1 v1.5 and its
    // default ECDSA encoding is DER, which is what cosign writes.
    if (publicKey.asymmetricKeyType === 'ed25519') return verify(null, payload, publicKey, signature);
    return hashes.some((hash) => verify(hash, payload, publicKey, signature));
  } catch {
    return false;
  }
}

/** How a cosign signer is named in results: the key file, its scheme and the start of its fingerprint. */
export function keySigner(key: CosignPublicKey): string {
  return `cosign key ${key.name} (${key.description}, SHA256:${key.fingerprint.slice(0, 16)})`;
}
