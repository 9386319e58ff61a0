// A keyless cosign `.sig` or `.att` layer (signature, Fulcio certificate, Rekor bundle and RFC 3161 timestamp as
// annotations, cosign's specs/SIGNATURE_SPEC.md) restated as the Sigstore bundle it amounts to, so it is verified
// by the same code as a bundle referrer. Nothing here is trusted: the verifier checks it all.
import { createHash, X509Certificate } from 'node:crypto';
import { BUNDLE_V01_MEDIA_TYPE, type Bundle, type TransparencyLogEntry } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { CosignAnnotation } from './cosign';
import type { DsseEnvelope } from './dsse';
import { COSIGN_RFC3161_ANNOTATION } from './sigstore';

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function parseJson(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** cosign's `dev.sigstore.cosign/bundle`: {SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}. */
function rekorEntry(annotation: unknown): TransparencyLogEntry | { problem: string } {
  const bundle = parseJson(annotation);
  const payload = asObject(bundle?.Payload);
  const set = bundle?.SignedEntryTimestamp;
  if (!payload || typeof set !== 'string')
    return { problem: `the ${CosignAnnotation.bundle} annotation is not a Rekor bundle` };
  const { body, integratedTime, logIndex, logID } = payload;
  if (
    typeof body !== 'string' ||
    !Number.isSafeInteger(integratedTime) ||
    !Number.isSafeInteger(logIndex) ||
    typeof logID !== 'string' ||
    !/^[0-9a-f]{64}$/.test(logID)
  )
    return { problem: `the ${CosignAnnotation.bundle} annotation's Payload is incomplete` };
  const canonicalizedBody = Buffer.from(body, 'base64');
  const entry = parseJson(canonicalizedBody.toString('utf8'));
  if (typeof entry?.kind !== 'string' || typeof entry.apiVersion !== 'string')
    return { problem: `the ${CosignAnnotation.bundle} annotation's log entry has no kind` };
  return {
    logIndex: String(logIndex),
    logId: { keyId: Buffer.from(logID, 'hex') },
    kindVersion: { kind: entry.kind, version: entry.apiVersion },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: Buffer.from(set, 'base64') },
    inclusionProof: undefined,
    canonicalizedBody,
  };
}

/** The bundle a keyless `.sig` layer amounts to; `signature` is the decoded signature annotation. */
export function keylessCosignBundle(
  annotations: Record<string, unknown>,
  payload: Buffer,
  signature: Buffer,
): Bundle | { problem: string } {
  return keylessBundle(annotations, {
    $case: 'messageSignature',
    messageSignature: {
      messageDigest: { algorithm: HashAlgorithm.SHA2_256, digest: createHash('sha256').update(payload).digest() },
      signature,
    },
  });
}

/** The bundle a keyless `.att` layer amounts to: its DSSE envelope with the same annotations as a `.sig` layer. */
export function keylessDsseBundle(
  annotations: Record<string, unknown>,
  envelope: DsseEnvelope,
): Bundle | { problem: string } {
  return keylessBundle(annotations, {
    $case: 'dsseEnvelope',
    dsseEnvelope: {
      payloadType: envelope.payloadType,
      payload: envelope.payload,
      signatures: envelope.signatures.map(({ sig, keyid }) => ({ sig, keyid: keyid ?? '' })),
    },
  });
}

function keylessBundle(annotations: Record<string, unknown>, content: Bundle['content']): Bundle | { problem: string } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(String(annotations[CosignAnnotation.certificate]));
  } catch {
    return { problem: `the ${CosignAnnotation.certificate} annotation is not a PEM certificate` };
  }
  const tlogEntries: TransparencyLogEntry[] = [];
  if (annotations[CosignAnnotation.bundle] !== undefined) {
    const entry = rekorEntry(annotations[CosignAnnotation.bundle]);
    if ('problem' in entry) return entry;
    tlogEntries.push(entry);
  }
  const timestamps: Buffer[] = [];
  if (annotations[COSIGN_RFC3161_ANNOTATION] !== undefined) {
    const signed = parseJson(annotations[COSIGN_RFC3161_ANNOTATION])?.SignedRFC3161TimestampPayload;
    if (typeof signed !== 'string')
      return { problem: `the ${COSIGN_RFC3161_ANNOTATION} annotation is not an RFC 3161 timestamp` };
    timestamps.push(Buffer.from(signed, 'base64'));
  }
  return {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    content,
    verificationMaterial: {
      content: {
        $case: 'x509CertificateChain',
        x509CertificateChain: { certificates: [{ rawBytes: certificate.raw }] },
      },
      tlogEntries,
      timestampVerificationData: { rfc3161Timestamps: timestamps.map((signedTimestamp) => ({ signedTimestamp })) },
    },
  } as Bundle;
}
