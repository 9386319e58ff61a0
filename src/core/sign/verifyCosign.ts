// Verifies one cosign signature (a simple-signing layer of a `.sig` manifest) against configured public keys:
// the signature over the payload blob's exact bytes, the payload's type, and the manifest digest it names.
// Keyless signatures (a Fulcio certificate and a Rekor bundle in the annotations) go to the Sigstore verifier.
import type { Descriptor } from '../oci';
import { CosignAnnotation } from './cosign';
import { keySigner, verifyCosignBytes, type CosignPublicKey } from './cosignKeys';
import { keylessCosignBundle } from './cosignKeylessBundle';
import { parseSimpleSigningPayload } from '../graph';
import { NO_KEYS_REASON } from './cosign';
import { NO_TRUSTED_ROOT_REASON } from './sigstore';
import { verifySigstoreBundle, type SigstoreVerifyOptions } from './verifySigstoreBundle';
import type { VerificationResult } from './verifySignature';

export { NO_KEYS_REASON };
/** A keyless signature and no trusted root to check it against. */
export const KEYLESS_REASON = NO_TRUSTED_ROOT_REASON;

/** Strict standard base64 (what cosign writes): undefined for anything that does not round-trip. */
function fromBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function payloadReasons(payload: Buffer, subject: Descriptor): string[] {
  const parsed = parseSimpleSigningPayload(payload);
  if ('problem' in parsed) return [parsed.problem];
  return parsed.manifestDigest === subject.digest
    ? []
    : [`the payload signs manifest ${parsed.manifestDigest}, not ${subject.digest}`];
}

/**
 * `layer` is the simple-signing layer (its annotations carry the signature), `payload` the bytes of its blob
 * as fetched (digest-verified by the store). A key that verifies the signature wins even when keyless material
 * is present too; keyless signatures are otherwise checked against `sigstore` (trusted root and identity rules),
 * and reported as unverifiable without a trusted root.
 */
export function verifyCosignSignature(
  layer: Descriptor,
  payload: Buffer,
  subject: Descriptor,
  keys: readonly CosignPublicKey[],
  sigstore: SigstoreVerifyOptions = {},
): VerificationResult {
  const annotations = layer.annotations ?? {};
  const claims = payloadReasons(payload, subject);
  // Annotations come from the registry: typed as strings, but only a check makes them so.
  const encoded: unknown = annotations[CosignAnnotation.signature];
  if (encoded === undefined)
    return { ok: false, reasons: [`the layer has no ${CosignAnnotation.signature} annotation`, ...claims] };
  const signature = typeof encoded === 'string' ? fromBase64(encoded) : undefined;
  if (!signature)
    return { ok: false, reasons: [`the ${CosignAnnotation.signature} annotation is not base64`, ...claims] };

  const signer = keys.find((candidate) => verifyCosignBytes(candidate.key, payload, signature));
  if (signer) {
    // Signed, so what the payload claims is the signer's word: it must be about this artifact.
    return {
      ok: claims.length === 0,
      reasons: claims,
      algorithm: signer.description,
      signer: keySigner(signer),
    };
  }
  const keyless = annotations[CosignAnnotation.certificate] !== undefined;
  if (keyless && sigstore.trustedRoot) {
    const bundle = keylessCosignBundle(annotations, payload, signature);
    if ('problem' in bundle) return { ok: false, reasons: [...claims, bundle.problem] };
    // The bundle's checks include the payload's claims (the same simple-signing payload, read again).
    return verifySigstoreBundle(bundle, subject, { ...sigstore, message: payload });
  }
  return notVerifiedByKeys(claims, keyless, keys);
}

/**
 * The verdict on a cosign signature no configured key verified and no keyless check ran: a failure when what it
 * claims is about another artifact, or when keys were given and none verifies it; otherwise not checkable.
 */
export function notVerifiedByKeys(
  claims: readonly string[],
  keyless: boolean,
  keys: readonly CosignPublicKey[],
): VerificationResult {
  if (claims.length) {
    // Not about this artifact whoever signed it: a failure even when the signature itself cannot be checked.
    return { ok: false, reasons: [...claims, keyless ? KEYLESS_REASON : noKeyReason(keys)] };
  }
  if (keyless) return { ok: false, unverifiable: true, reasons: [KEYLESS_REASON] };
  if (!keys.length) return { ok: false, unverifiable: true, reasons: [NO_KEYS_REASON] };
  return { ok: false, reasons: [noKeyReason(keys)] };
}

function noKeyReason(keys: readonly CosignPublicKey[]): string {
  if (!keys.length) return NO_KEYS_REASON;
  const which =
    keys.length === 1 ? `the cosign public key ${keys[0]!.name}` : `any of the ${keys.length} cosign public keys`;
  return `the signature does not verify with ${which} (the payload or the signature was altered, or another key signed it)`;
}
