// Verifies the cosign signatures in one signature manifest (a `.sig` tag or a cosign referrer), and the DSSE
// attestations in one attestation manifest (a `.att` tag or an OCI 1.1 referrer): one result per signed layer, since
// cosign appends a layer to the same manifest for every new signature or attestation.
import { type Descriptor, isIndex, SizeExceededError, MediaType } from '../oci';
import {
  MAX_COSIGN_PAYLOAD_BYTES,
  MAX_DSSE_ENVELOPE_BYTES,
  verifyCosignSignature,
  verifyDsseAttestation,
  type CosignPublicKey,
  type SigstoreVerifyOptions,
  type VerificationResult,
} from '../sign';
import type { ReadOnlyTarget } from '../content';
import { readSmallBlob } from '../content';

/**
 * Signature layers verified at most in one manifest: cosign adds one per signature, so a real manifest holds a few.
 * A hostile 4 MiB manifest holds some 20,000, each a blob read and a verification, for each referrer verify reads.
 */
export const MAX_SIGNATURE_LAYERS = 100;

/** The one result of a manifest with more signature layers than are verified: failed, as an unread one may be bad. */
export function tooManyLayers(what: string, count: number): CosignLayerVerification[] {
  return [
    {
      result: {
        ok: false,
        reasons: [
          `the ${what} has ${count} signature layers, more than the ${MAX_SIGNATURE_LAYERS} verified; none was read`,
        ],
      },
    },
  ];
}

export interface CosignLayerVerification {
  /** The simple-signing layer; absent when the manifest itself is unusable. */
  layer?: Descriptor;
  result: VerificationResult;
}

export async function verifyCosignManifest(
  target: ReadOnlyTarget,
  subject: Descriptor,
  signature: Descriptor,
  keys: readonly CosignPublicKey[],
  signal?: AbortSignal,
  sigstore: SigstoreVerifyOptions = {},
): Promise<CosignLayerVerification[]> {
  return verifyEachLayer(target, subject, signature, signal, {
    what: 'cosign signature',
    mediaType: MediaType.cosignSimpleSigning,
    maxBytes: MAX_COSIGN_PAYLOAD_BYTES,
    blob: 'payload blob',
    none: { ok: false, reasons: [`the cosign signature manifest has no ${MediaType.cosignSimpleSigning} layer`] },
    check: (layer, payload) => verifyCosignSignature(layer, payload, subject, keys, sigstore),
  });
}

/**
 * Verifies the attestations of one attestation manifest (cosign's `.att` tag, or an OCI 1.1 referrer): one result
 * per DSSE envelope layer (cosign appends one per `cosign attest`). A manifest without one is unsigned evidence:
 * not checkable, never verified.
 */
export async function verifyAttestationManifest(
  target: ReadOnlyTarget,
  subject: Descriptor,
  attestation: Descriptor,
  keys: readonly CosignPublicKey[],
  signal?: AbortSignal,
  sigstore: SigstoreVerifyOptions = {},
): Promise<CosignLayerVerification[]> {
  return verifyEachLayer(target, subject, attestation, signal, {
    what: 'attestation',
    mediaType: MediaType.dsseEnvelope,
    maxBytes: MAX_DSSE_ENVELOPE_BYTES,
    blob: 'DSSE envelope',
    none: {
      ok: false,
      unverifiable: true,
      reasons: [`not verified: the attestation manifest has no ${MediaType.dsseEnvelope} layer, so nothing signs it`],
    },
    // A hostile layer may say `"annotations": null`: read as none, as for a `.sig` layer.
    check: (layer, envelope) => verifyDsseAttestation(envelope, subject, keys, sigstore, layer.annotations ?? {}),
  });
}

interface LayerRules {
  /** "cosign signature", "attestation": what the manifest is, in reasons. */
  what: string;
  mediaType: string;
  maxBytes: number;
  blob: string;
  /** The result when the manifest has no such layer. */
  none: VerificationResult;
  check: (layer: Descriptor, bytes: Buffer) => VerificationResult;
}

async function verifyEachLayer(
  target: ReadOnlyTarget,
  subject: Descriptor,
  signature: Descriptor,
  signal: AbortSignal | undefined,
  rules: LayerRules,
): Promise<CosignLayerVerification[]> {
  const failed = (reason: string): CosignLayerVerification[] => [{ result: { ok: false, reasons: [reason] } }];
  const { manifest } = await target.fetchManifest(signature, { signal });
  if (isIndex(manifest)) return failed(`the ${rules.what} is an index, not a manifest`);
  // A cosign tag has no subject; a referrer must name this artifact.
  if (manifest.subject && manifest.subject.digest !== subject.digest)
    return failed(`the ${rules.what} manifest's subject is ${manifest.subject.digest}, not ${subject.digest}`);
  // Manifests from a registry are only JSON-checked: a hostile one may lack a layers array.
  const layers = (Array.isArray(manifest.layers) ? manifest.layers : []).filter(
    (layer) => layer?.mediaType === rules.mediaType,
  );
  if (!layers.length) return [{ result: rules.none }];
  if (layers.length > MAX_SIGNATURE_LAYERS) return tooManyLayers(`${rules.what} manifest`, layers.length);
  const results: CosignLayerVerification[] = [];
  for (const layer of layers) {
    let bytes: Buffer;
    try {
      bytes = await readSmallBlob(target, layer, signal, rules.maxBytes);
    } catch (err) {
      if (!(err instanceof SizeExceededError)) throw err;
      results.push({
        layer,
        result: {
          ok: false,
          reasons: [
            `the ${rules.blob} is ${layer.size} bytes, more than the ${rules.maxBytes} a ${rules.blob} may have`,
          ],
        },
      });
      continue;
    }
    results.push({ layer, result: rules.check(layer, bytes) });
  }
  return results;
}
