// Signatures: Notary Project (JWS envelope, notary.x509 scheme) keys, signing, the referrer manifest and
// verification; cosign signatures (verification only).
export { algorithmForKey, type JwsAlgorithm } from './algorithms';
export {
  identityWithChain,
  loadPrivateKey,
  loadSigningIdentity,
  loadTrustedCertificates,
  parseCertificateChain,
  parsePrivateKey,
  parseTrustedCertificates,
  thumbprintOf,
  type SigningIdentity,
} from './certificates';
export {
  createSigningKey,
  type CreateSigningKeyOptions,
  type SigningKey,
  type SigningKeyAlgorithm,
} from './createSigningKey';
export { NOTARY_PAYLOAD_TYPE, NotaryHeader, SIGNING_AGENT } from './notary';
export { buildSignatureManifest, type SignatureManifest } from './signatureManifest';
export { signDescriptor, targetArtifactOf, type SignOptions } from './signDescriptor';
export { wantsTrustedCertificate } from './certificateChecks';
export {
  verifySignature,
  signedBy,
  type CertificateSummary,
  type EnvelopeSignature,
  type VerificationResult,
  type VerifyOptions,
} from './verifySignature';
// cosign signatures (simple signing, key-based).
export { COSIGN_PAYLOAD_TYPE, CosignAnnotation, MAX_COSIGN_PAYLOAD_BYTES } from './cosign';
export { parseCosignPublicKey, verifyCosignBytes, type CosignPublicKey } from './cosignKeys';
export { parseSimpleSigningPayload, type SimpleSigningPayload } from '../graph';
export { KEYLESS_REASON, NO_KEYS_REASON, verifyCosignSignature } from './verifyCosign';
export { fromBase64url } from './notary';
export { parseEnvelope } from './parseEnvelope';
// Sigstore bundles and keyless cosign signatures (offline, against a trusted root the user supplies).
export {
  IN_TOTO_PAYLOAD_TYPE,
  MAX_SIGSTORE_BUNDLE_BYTES,
  NO_IDENTITIES_REASON,
  NO_TRUSTED_ROOT_REASON,
  SIGSTORE_BUNDLE_TYPE_PREFIX,
} from './sigstore';
export {
  identityProblem,
  parseSigstoreIdentity,
  type SigstoreIdentity,
  type SigstoreIdentityRule,
} from './sigstoreIdentity';
export { loadSigstoreTrustedRoot, parseSigstoreTrustedRoot, type SigstoreTrustedRoot } from './sigstoreTrustedRoot';
export {
  bundlePredicateType,
  parseSigstoreBundle,
  parseSigstoreBundles,
  signedMessageDigest,
  verifySigstoreBundle,
  type SigstoreVerifyOptions,
} from './verifySigstoreBundle';
// Attestations: in-toto statements in DSSE envelopes (cosign `.att` layers, OCI 1.1 referrers, Sigstore bundles).
export { MAX_DSSE_ENVELOPE_BYTES, MAX_DSSE_SIGNATURES, pae, parseDsseEnvelope, type DsseEnvelope } from './dsse';
export { parseInTotoStatement, statementSubjectReasons, type InTotoStatement } from './inTotoStatement';
export { verifyDsseAttestation } from './verifyAttestation';
export { anySignature } from './anySignature';
export { COSIGN_PREDICATE_TYPES, COSIGN_SIGN_PREDICATE_TYPE, predicateTypeFor } from './predicateTypes';
