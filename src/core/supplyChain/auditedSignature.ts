// One signature's result as an audit keeps it (plain JSON): a tag's own signatures and its SBOMs' alike.
import type { EnvelopeSignature } from '../sign';
import type { SignatureKind, SignatureVerification } from './verifyArtifact';

/** One signature's result, as JSON shows it. */
export interface AuditedSignature {
  kind: SignatureKind;
  /** The signature manifest. */
  signature: string;
  /** cosign: the simple-signing layer; Sigstore: the bundle layer. */
  layer?: string;
  status: 'verified' | 'failed' | 'unchecked';
  signer?: string;
  /** Of an envelope with several signatures, the one that verified. */
  envelopeSignature?: EnvelopeSignature;
  signingTime?: string;
  reasons: string[];
}

export function auditedSignature({ kind, signature, layer, result }: SignatureVerification): AuditedSignature {
  const status = result.ok ? 'verified' : result.unverifiable ? 'unchecked' : 'failed';
  return {
    kind,
    signature: signature.digest,
    ...(layer ? { layer: layer.digest } : {}),
    status,
    ...(result.signer ? { signer: result.signer } : {}),
    ...(result.envelopeSignature ? { envelopeSignature: result.envelopeSignature } : {}),
    ...(result.signingTime ? { signingTime: result.signingTime.toISOString() } : {}),
    reasons: result.reasons,
  };
}
