// Verifies every Notary signature attached to an artifact: the JWS, its payload against the subject, and the
// certificate chain against the trust store.
import type { Descriptor, ImageManifest } from '../descriptor';
import { isIndex } from '../descriptor';
import { MediaType } from '../mediaTypes';
import { listReferrers } from '../referrers';
import { verifySignature, type VerificationResult } from '../sign';
import type { Target } from '../target';
import { readSmallBlob } from './readSmallBlob';

export interface SignatureVerification {
  /** The signature manifest's descriptor. */
  signature: Descriptor;
  result: VerificationResult;
}

export interface VerifyArtifactOptions {
  trustedCerts: readonly string[];
  now?: Date;
  signal?: AbortSignal;
}

/** One result per Notary signature referrer of `subject` (an empty list when it has none). */
export async function verifyArtifactSignatures(target: Target, subject: Descriptor, options: VerifyArtifactOptions): Promise<SignatureVerification[]> {
  const referrers = await listReferrers(target, subject.digest, { artifactType: MediaType.notarySignature, cosignTags: false, signal: options.signal });
  const results: SignatureVerification[] = [];
  for (const referrer of referrers) {
    results.push({ signature: referrer.descriptor, result: await verifySignatureReferrer(target, subject, referrer.descriptor, options) });
  }
  return results;
}

/** Verifies one signature manifest; a malformed manifest is a failed result, not an exception. */
export async function verifySignatureReferrer(target: Target, subject: Descriptor, signature: Descriptor, options: VerifyArtifactOptions): Promise<VerificationResult> {
  const fetched = await target.fetchManifest(signature, options.signal);
  const manifest = fetched.manifest;
  if (isIndex(manifest)) return { ok: false, reasons: ['the signature referrer is an index, not a manifest'] };
  const envelope = envelopeLayer(manifest);
  if (!envelope) return { ok: false, reasons: [`the signature manifest has no ${MediaType.jws} layer`] };
  if (manifest.subject?.digest !== subject.digest) return { ok: false, reasons: [`the signature manifest's subject is ${manifest.subject?.digest ?? 'missing'}, not ${subject.digest}`] };
  const bytes = await readSmallBlob(target, envelope, options.signal);
  return verifySignature(bytes, { mediaType: subject.mediaType, digest: subject.digest, size: subject.size }, { trustedCerts: options.trustedCerts, now: options.now });
}

function envelopeLayer(manifest: ImageManifest): Descriptor | undefined {
  const envelopes = manifest.layers.filter((layer) => layer.mediaType === MediaType.jws);
  return envelopes.length === 1 ? envelopes[0] : undefined;
}
