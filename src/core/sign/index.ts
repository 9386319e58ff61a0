// Notary Project signatures (JWS envelope, notary.x509 scheme): keys, signing, the referrer manifest, verification.
export { algorithmForKey, type JwsAlgorithm } from './algorithms';
export { loadSigningIdentity, parseCertificateChain, parsePrivateKey, thumbprintOf, type SigningIdentity } from './certificates';
export { createSigningKey, type CreateSigningKeyOptions, type SigningKey, type SigningKeyAlgorithm } from './createSigningKey';
export { NOTARY_PAYLOAD_TYPE, NotaryHeader, SIGNING_AGENT } from './notary';
export { buildSignatureManifest, type SignatureManifest } from './signatureManifest';
export { signDescriptor, targetArtifactOf, type SignOptions } from './signDescriptor';
export { verifySignature, type CertificateSummary, type VerificationResult, type VerifyOptions } from './verifySignature';
