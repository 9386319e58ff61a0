// Signs a descriptor the Notary Project way: a flattened JWS JSON envelope over {"targetArtifact": descriptor}.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { type Descriptor, assertDigest, OciError } from '../oci';
import { requireAlgorithmForKey, signJws } from './algorithms';
import { parseCertificateChain, parsePrivateKey, toX5c } from './certificates';
import {
  base64url,
  NOTARY_PAYLOAD_TYPE,
  NotaryHeader,
  rfc3339,
  SIGNING_AGENT,
  SIGNING_SCHEME_X509,
  type JwsEnvelope,
  type NotaryProtectedHeader,
} from './notary';

export interface SignOptions {
  /** The private key (PEM or KeyObject); it must belong to the first certificate of `certChain`. */
  key: KeyObject | string;
  /** Leaf first, then intermediates, then the root: PEM bundle, PEM list or parsed certificates. */
  certChain: string | readonly string[] | readonly X509Certificate[];
  signingTime?: Date;
  /** The signer's "best by use" time for the artifact. */
  expiry?: Date;
  signingAgent?: string;
}

/** The descriptor fields the Notary payload carries: mediaType, digest, size, and annotations when present. */
export function targetArtifactOf(target: Descriptor): Descriptor {
  const artifact: Descriptor = { mediaType: target.mediaType, digest: target.digest, size: target.size };
  if (target.annotations && Object.keys(target.annotations).length) artifact.annotations = { ...target.annotations };
  return artifact;
}

/** Returns the envelope bytes (`application/jose+json`). */
export function signDescriptor(target: Descriptor, options: SignOptions): Buffer {
  assertDigest(target.digest, 'target digest');
  if (!Number.isSafeInteger(target.size) || target.size < 0)
    throw new OciError('USAGE', `target size ${target.size} is not a byte count`);
  const key = typeof options.key === 'string' ? parsePrivateKey(options.key) : options.key;
  if (key.type !== 'private') throw new OciError('USAGE', `signing needs a private key, not a ${key.type} key`);
  const alg = requireAlgorithmForKey(key, 'signing key');
  const chain = toCertificates(options.certChain);
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(key))
    throw new OciError('USAGE', 'the signing key does not belong to the first certificate of the chain');

  const signingTime = options.signingTime ?? new Date();
  if (options.expiry && options.expiry.getTime() <= signingTime.getTime()) {
    throw new OciError(
      'USAGE',
      `expiry ${rfc3339(options.expiry)} is not after the signing time ${rfc3339(signingTime)}`,
    );
  }
  const header: NotaryProtectedHeader = {
    alg,
    cty: NOTARY_PAYLOAD_TYPE,
    [NotaryHeader.signingScheme]: SIGNING_SCHEME_X509,
    [NotaryHeader.signingTime]: rfc3339(signingTime),
    crit: [NotaryHeader.signingScheme],
  };
  if (options.expiry) {
    header[NotaryHeader.expiry] = rfc3339(options.expiry);
    header.crit.push(NotaryHeader.expiry);
  }

  const protectedPart = base64url(JSON.stringify(header));
  const payloadPart = base64url(JSON.stringify({ targetArtifact: targetArtifactOf(target) }));
  const signature = signJws(alg, key, Buffer.from(`${protectedPart}.${payloadPart}`, 'ascii'));
  const envelope: JwsEnvelope = {
    payload: payloadPart,
    protected: protectedPart,
    header: { x5c: toX5c(chain), [NotaryHeader.signingAgent]: options.signingAgent ?? SIGNING_AGENT },
    signature: base64url(signature),
  };
  return Buffer.from(JSON.stringify(envelope));
}

export function toCertificates(chain: SignOptions['certChain']): X509Certificate[] {
  const list =
    typeof chain === 'string'
      ? parseCertificateChain(chain)
      : chain.flatMap((entry) => (typeof entry === 'string' ? parseCertificateChain(entry) : [entry]));
  if (!list.length) throw new OciError('USAGE', 'the certificate chain is empty');
  return list;
}
