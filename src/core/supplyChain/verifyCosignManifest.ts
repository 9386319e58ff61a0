// Verifies the cosign signatures in one signature manifest (a `.sig` tag or a cosign referrer): one result per
// simple-signing layer, since cosign appends a layer to the same manifest for every new signature.
import { type Descriptor, isIndex, SizeExceededError, MediaType } from '../oci';
import {
  MAX_COSIGN_PAYLOAD_BYTES,
  verifyCosignSignature,
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
  const { manifest } = await target.fetchManifest(signature, { signal });
  if (isIndex(manifest))
    return [{ result: { ok: false, reasons: ['the cosign signature is an index, not a manifest'] } }];
  // A `.sig` tag has no subject; a referrer must name this artifact.
  if (manifest.subject && manifest.subject.digest !== subject.digest) {
    return [
      {
        result: {
          ok: false,
          reasons: [`the cosign signature manifest's subject is ${manifest.subject.digest}, not ${subject.digest}`],
        },
      },
    ];
  }
  // Manifests from a registry are only JSON-checked: a hostile one may lack a layers array.
  const layers = (Array.isArray(manifest.layers) ? manifest.layers : []).filter(
    (layer) => layer?.mediaType === MediaType.cosignSimpleSigning,
  );
  if (!layers.length)
    return [
      {
        result: { ok: false, reasons: [`the cosign signature manifest has no ${MediaType.cosignSimpleSigning} layer`] },
      },
    ];
  if (layers.length > MAX_SIGNATURE_LAYERS) return tooManyLayers('cosign signature manifest', layers.length);
  const results: CosignLayerVerification[] = [];
  for (const layer of layers) {
    let payload: Buffer;
    try {
      payload = await readSmallBlob(target, layer, signal, MAX_COSIGN_PAYLOAD_BYTES);
    } catch (err) {
      if (!(err instanceof SizeExceededError)) throw err;
      results.push({
        layer,
        result: {
          ok: false,
          reasons: [
            `the payload blob is ${layer.size} bytes, more than the ${MAX_COSIGN_PAYLOAD_BYTES} a simple-signing payload may have`,
          ],
        },
      });
      continue;
    }
    results.push({ layer, result: verifyCosignSignature(layer, payload, subject, keys, sigstore) });
  }
  return results;
}
