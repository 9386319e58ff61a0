// The referrer manifest that stores a Notary signature envelope next to the artifact it signs.
import type { X509Certificate } from 'node:crypto';
import { EMPTY_DESCRIPTOR, type Descriptor, type ImageManifest, Annotation, MediaType } from '../oci';
import { EMPTY_JSON } from '../content';
import { digestOf } from '../content';
import { rfc3339 } from './notary';
import { thumbprintOf } from './certificates';
import { toCertificates, type SignOptions } from './signDescriptor';

export interface Blob {
  descriptor: Descriptor;
  bytes: Buffer;
}

export interface SignatureManifest {
  manifest: ImageManifest;
  bytes: Buffer;
  descriptor: Descriptor;
  /** Push these before the manifest (the empty config and the envelope). */
  blobs: Blob[];
}

export function buildSignatureManifest(
  subject: Descriptor,
  envelope: Buffer,
  certChain: SignOptions['certChain'] | readonly X509Certificate[],
  options: { created?: Date } = {},
): SignatureManifest {
  const chain = toCertificates(certChain);
  const envelopeDescriptor: Descriptor = {
    mediaType: MediaType.jws,
    digest: digestOf(envelope),
    size: envelope.length,
  };
  const config: Descriptor = {
    mediaType: EMPTY_DESCRIPTOR.mediaType,
    digest: EMPTY_DESCRIPTOR.digest,
    size: EMPTY_DESCRIPTOR.size,
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: MediaType.notarySignature,
    config,
    layers: [envelopeDescriptor],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [Annotation.notaryThumbprints]: JSON.stringify(chain.map(thumbprintOf)),
      [Annotation.created]: rfc3339(options.created ?? new Date()),
    },
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return {
    manifest,
    bytes,
    descriptor: {
      mediaType: MediaType.ociManifest,
      digest: digestOf(bytes),
      size: bytes.length,
      artifactType: MediaType.notarySignature,
    },
    blobs: [
      { descriptor: config, bytes: Buffer.from(EMPTY_JSON) },
      { descriptor: envelopeDescriptor, bytes: envelope },
    ],
  };
}
