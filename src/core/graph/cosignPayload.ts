// Reads cosign's simple-signing payload (containers-signature(5) JSON with cosign's type) without trusting it:
// every shape problem becomes a reason, never an exception.
// It lives here, below sign, because the referrer walk judges cosign's `.sig` tags by it (referrerSubject.ts).
import { isJsonObject } from '../oci';

/** `critical.type` of a simple-signing payload made by cosign for an image. */
export const COSIGN_PAYLOAD_TYPE = 'cosign container image signature';

/** Payloads are a few hundred bytes plus the signer's optional claims; anything near this is hostile. */
export const MAX_COSIGN_PAYLOAD_BYTES = 64 * 1024;

export interface SimpleSigningPayload {
  /** `critical.image.docker-manifest-digest`: the manifest the signature is about. */
  manifestDigest: string;
  /** `critical.identity.docker-reference` (cosign ignores it; kept for display). */
  dockerReference?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const MANIFEST_DIGEST_KEY = 'docker-manifest-digest';

function asObject(value: unknown): Record<string, unknown> | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function parseSimpleSigningPayload(bytes: Buffer): SimpleSigningPayload | { problem: string } {
  if (bytes.length > MAX_COSIGN_PAYLOAD_BYTES)
    return {
      problem: `the payload is ${bytes.length} bytes, more than the ${MAX_COSIGN_PAYLOAD_BYTES} a simple-signing payload may have`,
    };
  let root: unknown;
  try {
    root = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { problem: 'the payload is not JSON' };
  }
  const top = asObject(root);
  if (!top) return { problem: 'the payload is not a JSON object' };
  const critical = asObject(top.critical);
  if (!critical) return { problem: 'the payload has no "critical" object' };
  if (critical.type !== COSIGN_PAYLOAD_TYPE) {
    return {
      problem: `the payload's critical.type is ${JSON.stringify(critical.type) ?? 'missing'}, not "${COSIGN_PAYLOAD_TYPE}"`,
    };
  }
  const image = asObject(critical.image);
  if (!image) return { problem: 'the payload has no "critical.image" object' };
  // Go's JSON decoder (cosign's) matches keys case-insensitively, so another spelling could be what cosign
  // read; a payload carrying two spellings is refused rather than guessed.
  const spellings = Object.keys(image).filter((key) => key.toLowerCase() === MANIFEST_DIGEST_KEY);
  if (spellings.length > 1)
    return { problem: `the payload names the manifest digest more than once (${spellings.join(', ')})` };
  const digest = spellings.length ? image[spellings[0]!] : undefined;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    return {
      problem: `the payload's critical.image.${MANIFEST_DIGEST_KEY} is ${digest === undefined ? 'missing' : `not a digest (${JSON.stringify(digest).slice(0, 80)})`}`,
    };
  }
  const reference = asObject(critical.identity)?.['docker-reference'];
  return { manifestDigest: digest, ...(typeof reference === 'string' ? { dockerReference: reference } : {}) };
}
