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

export { COSIGN_PAYLOAD_TYPE, MAX_COSIGN_PAYLOAD_BYTES } from '../graph';

// Names the setting and the flag, as the Sigstore reasons do: an UNCHECKED line tells what to add.
export const NO_KEYS_REASON =
  'not verified: no cosign public keys were given (stowage.trust.cosignPublicKeys or --cosign-key)';
