// Verifies a referrer that stores Sigstore bundles (cosign v3 / --new-bundle-format: an OCI 1.1 manifest whose
// layer is the bundle JSON): one result per bundle layer. For a message-signature bundle the signed bytes are
// found here: the subject's own manifest, or a payload layer of the same manifest whose digest the bundle signs.
import { type Descriptor, type ImageManifest, isIndex, SizeExceededError } from '../oci';
import {
  MAX_COSIGN_PAYLOAD_BYTES,
  MAX_SIGSTORE_BUNDLE_BYTES,
  anySignature,
  parseSigstoreBundles,
  SIGSTORE_BUNDLE_TYPE_PREFIX,
  signedMessageDigest,
  verifySigstoreBundle,
  type SigstoreVerifyOptions,
  type VerificationResult,
} from '../sign';
import type { ReadOnlyTarget } from '../content';
import { readSmallBlob } from '../content';
import { type CosignLayerVerification, tooManyLayers, MAX_SIGNATURE_LAYERS } from './verifyCosignManifest';

const failed = (reason: string): VerificationResult => ({ ok: false, reasons: [reason] });

export async function verifySigstoreReferrer(
  target: ReadOnlyTarget,
  subject: Descriptor,
  signature: Descriptor,
  options: SigstoreVerifyOptions,
  signal?: AbortSignal,
): Promise<CosignLayerVerification[]> {
  const { manifest } = await target.fetchManifest(signature, { signal });
  if (isIndex(manifest)) return [{ result: failed('the Sigstore bundle referrer is an index, not a manifest') }];
  if (manifest.subject?.digest !== subject.digest)
    return [
      {
        result: failed(
          `the Sigstore bundle manifest's subject is ${manifest.subject?.digest ?? 'missing'}, not ${subject.digest}`,
        ),
      },
    ];
  // Manifests from a registry are only JSON-checked: a hostile one may lack a layers array.
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  const bundles = layers.filter(
    (layer) => typeof layer?.mediaType === 'string' && layer.mediaType.startsWith(SIGSTORE_BUNDLE_TYPE_PREFIX),
  );
  if (!bundles.length)
    return [{ result: failed(`the Sigstore bundle manifest has no ${SIGSTORE_BUNDLE_TYPE_PREFIX}… layer`) }];
  if (bundles.length > MAX_SIGNATURE_LAYERS) return tooManyLayers('Sigstore bundle manifest', bundles.length);
  const results: CosignLayerVerification[] = [];
  for (const layer of bundles) {
    results.push({ layer, result: await verifyBundleLayer(target, subject, manifest, layer, options, signal) });
  }
  return results;
}

async function verifyBundleLayer(
  target: ReadOnlyTarget,
  subject: Descriptor,
  manifest: ImageManifest,
  layer: Descriptor,
  options: SigstoreVerifyOptions,
  signal?: AbortSignal,
): Promise<VerificationResult> {
  let bytes: Buffer;
  try {
    bytes = await readSmallBlob(target, layer, signal, MAX_SIGSTORE_BUNDLE_BYTES);
  } catch (err) {
    if (!(err instanceof SizeExceededError)) throw err;
    return failed(
      `the bundle blob is ${layer.size} bytes, more than the ${MAX_SIGSTORE_BUNDLE_BYTES} a bundle may have`,
    );
  }
  const bundles = parseSigstoreBundles(bytes);
  if ('problem' in bundles) return failed(bundles.problem);
  const bundle = bundles[0]!;
  const signed = signedMessageDigest(bundle);
  let message: Buffer | undefined;
  if (signed === subject.digest) {
    message = (await target.fetchManifest(subject, { signal })).bytes;
  } else if (signed) {
    const payload = manifest.layers.find((candidate) => candidate?.digest === signed && candidate !== layer);
    if (payload && payload.size <= MAX_COSIGN_PAYLOAD_BYTES)
      message = await readSmallBlob(target, payload, signal, MAX_COSIGN_PAYLOAD_BYTES);
  }
  // Each signature of a DSSE envelope alone (one bundle each): verified when any verifies.
  return anySignature(bundles.length, (index) =>
    verifySigstoreBundle(bundles[index]!, subject, { ...options, message }),
  );
}
