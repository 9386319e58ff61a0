// Verifies one DSSE attestation (an in-toto statement in a DSSE envelope: a layer of cosign's `.att` manifest, or
// of an OCI 1.1 attestation referrer) with the trust `verify` is given for cosign signatures: a public key that
// verifies an envelope signature over PAE(payloadType, payload), or, for a keyless layer (Fulcio certificate and
// Rekor bundle annotations, as on a `.sig` layer), the Sigstore trusted root and identity rules. Whoever signed
// it, the statement must be an in-toto statement about THIS manifest.
import type { Descriptor } from '../oci';
import { CosignAnnotation } from './cosign';
import { verifyCosignBytes, keySigner, type CosignPublicKey } from './cosignKeys';
import { keylessDsseBundle } from './cosignKeylessBundle';
import { anySignature } from './anySignature';
import { pae, parseDsseEnvelope, type DsseSignature } from './dsse';
import { inTotoStatementOf, statementSubjectReasons } from './inTotoStatement';
import { notVerifiedByKeys } from './verifyCosign';
import { verifySigstoreBundle, type SigstoreVerifyOptions } from './verifySigstoreBundle';
import type { VerificationResult } from './verifySignature';

/**
 * `envelopeBytes` is the layer's blob as fetched (digest-verified by the store), `annotations` the layer's (keyless
 * material, if any). The result carries the statement's predicate type whenever the envelope could be read.
 */
export function verifyDsseAttestation(
  envelopeBytes: Buffer,
  subject: Descriptor,
  keys: readonly CosignPublicKey[],
  sigstore: SigstoreVerifyOptions = {},
  annotations: Record<string, unknown> = {},
): VerificationResult {
  const envelope = parseDsseEnvelope(envelopeBytes);
  if ('problem' in envelope) return { ok: false, reasons: [envelope.problem] };
  const statement = inTotoStatementOf(envelope.payloadType, envelope.payload);
  const claims = 'problem' in statement ? [statement.problem] : statementSubjectReasons(statement, subject);
  const predicateType = 'problem' in statement ? undefined : statement.predicateType;
  const withType = (result: VerificationResult): VerificationResult =>
    predicateType ? { ...result, predicateType } : result;

  const signed = pae(envelope.payloadType, envelope.payload);
  const keyless = annotations[CosignAnnotation.certificate] !== undefined;
  // Each signature alone: verified when any verifies (cosign's rule), failed naming each when none does.
  const verifyOne = (signature: DsseSignature): VerificationResult => {
    const signer = keys.find((key) => verifyCosignBytes(key.key, signed, signature.sig));
    // Signed, so what the statement claims is the signer's word: it must be about this artifact.
    if (signer) return { ok: claims.length === 0, reasons: claims, signer: keySigner(signer) };
    if (keyless && sigstore.trustedRoot) {
      const bundle = keylessDsseBundle(annotations, { ...envelope, signatures: [signature] });
      if ('problem' in bundle) return { ok: false, reasons: [...claims, bundle.problem] };
      // The bundle's checks include the statement's subject (the same statement, read again).
      return verifySigstoreBundle(bundle, subject, sigstore);
    }
    return notVerifiedByKeys(claims, keyless, keys);
  };
  const { signatures } = envelope;
  return withType(anySignature(signatures.length, (index) => verifyOne(signatures[index]!)));
}
