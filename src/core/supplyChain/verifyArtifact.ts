// Verifies every signature attached to an artifact: Notary signatures (the JWS, its payload against the
// subject, the certificate chain against the trust store) and cosign signatures (against public keys).
import { type Descriptor, type ImageManifest, isIndex, MediaType } from '../oci';
import { COSIGN_TAG_TYPES, listReferrers } from '../graph';
import { verifySignature, type CosignPublicKey, type VerificationResult } from '../sign';
import type { Target } from '../content';
import { readSmallBlob } from './readSmallBlob';
import { verifyCosignManifest } from './verifyCosignManifest';

export type SignatureKind = 'notary' | 'cosign';

export interface SignatureVerification {
  kind: SignatureKind;
  /** The signature manifest's descriptor. */
  signature: Descriptor;
  /** cosign: the simple-signing layer checked (one manifest may hold several signatures). */
  layer?: Descriptor;
  result: VerificationResult;
}

export interface VerifyArtifactOptions {
  /** PEM certificates trusted for Notary signatures. */
  trustedCerts: readonly string[];
  /** Public keys trusted for cosign signatures. */
  cosignKeys?: readonly CosignPublicKey[];
  now?: Date;
  signal?: AbortSignal;
}

const COSIGN_SIGNATURE_TYPE = COSIGN_TAG_TYPES['sig']!;
const NO_CERTIFICATES_REASON = 'not verified: no trusted certificates were given';
/** cosign 2.x and later attach signatures as Sigstore bundles (application/vnd.dev.sigstore.bundle.v0.3+json…). */
const SIGSTORE_BUNDLE_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
export const SIGSTORE_BUNDLE_REASON =
  'not verified: a Sigstore bundle signature (needs the Sigstore trust root and transparency log)';

/**
 * One result per signature of `subject` (an empty list when it has none): Notary referrers, and cosign
 * signatures from the `sha256-<hex>.sig` tag or from referrers with cosign's signature artifact type.
 */
export async function verifyArtifactSignatures(
  target: Target,
  subject: Descriptor,
  options: VerifyArtifactOptions,
): Promise<SignatureVerification[]> {
  const referrers = await listReferrers(target, subject.digest, { signal: options.signal });
  const results: SignatureVerification[] = [];
  for (const { descriptor } of referrers) {
    if (descriptor.artifactType === MediaType.notarySignature) {
      // Without trust material nothing can be concluded about a Notary signature, least of all that it is bad.
      const result: VerificationResult = options.trustedCerts.length
        ? await verifySignatureReferrer(target, subject, descriptor, options)
        : { ok: false, unverifiable: true, reasons: [NO_CERTIFICATES_REASON] };
      results.push({ kind: 'notary', signature: descriptor, result });
    } else if (descriptor.artifactType === COSIGN_SIGNATURE_TYPE) {
      for (const checked of await verifyCosignManifest(
        target,
        subject,
        descriptor,
        options.cosignKeys ?? [],
        options.signal,
      )) {
        results.push({ kind: 'cosign', signature: descriptor, ...checked });
      }
    } else if (descriptor.artifactType?.startsWith(SIGSTORE_BUNDLE_TYPE_PREFIX)) {
      // Shown rather than skipped, so "verified" never hides a signature nobody checked.
      results.push({
        kind: 'cosign',
        signature: descriptor,
        result: { ok: false, unverifiable: true, reasons: [SIGSTORE_BUNDLE_REASON] },
      });
    }
  }
  return results;
}

/** Verifies one Notary signature manifest; a malformed manifest is a failed result, not an exception. */
export async function verifySignatureReferrer(
  target: Target,
  subject: Descriptor,
  signature: Descriptor,
  options: VerifyArtifactOptions,
): Promise<VerificationResult> {
  const fetched = await target.fetchManifest(signature, { signal: options.signal });
  const manifest = fetched.manifest;
  if (isIndex(manifest)) return { ok: false, reasons: ['the signature referrer is an index, not a manifest'] };
  const envelope = envelopeLayer(manifest);
  if (!envelope) return { ok: false, reasons: [`the signature manifest has no ${MediaType.jws} layer`] };
  if (manifest.subject?.digest !== subject.digest)
    return {
      ok: false,
      reasons: [`the signature manifest's subject is ${manifest.subject?.digest ?? 'missing'}, not ${subject.digest}`],
    };
  const bytes = await readSmallBlob(target, envelope, options.signal);
  return verifySignature(
    bytes,
    { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    { trustedCerts: options.trustedCerts, now: options.now },
  );
}

function envelopeLayer(manifest: ImageManifest): Descriptor | undefined {
  const envelopes = manifest.layers.filter((layer) => layer.mediaType === MediaType.jws);
  return envelopes.length === 1 ? envelopes[0] : undefined;
}
