// Names fixed by cosign's signature format (specs/SIGNATURE_SPEC.md in sigstore/cosign): where the signature,
// the keyless material and the signed payload live in a `.sig` manifest.

export const CosignAnnotation = {
  /** Base64 signature over the exact bytes of the layer's payload blob. */
  signature: 'dev.cosignproject.cosign/signature',
  /** Keyless signing: the Fulcio certificate (PEM), its chain and the Rekor bundle. */
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
} as const;

/** `critical.type` of a simple-signing payload made by cosign for an image. */
export const COSIGN_PAYLOAD_TYPE = 'cosign container image signature';

/** Payloads are a few hundred bytes plus the signer's optional claims; anything near this is hostile. */
export const MAX_COSIGN_PAYLOAD_BYTES = 64 * 1024;

export const NO_KEYS_REASON = 'not verified: no cosign public keys were given';
