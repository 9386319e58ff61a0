// Builds small real artifacts (layer + empty config + manifest) and pushes them through any Target.
import { Readable } from 'node:stream';
import { type Descriptor, type ImageManifest, EMPTY_DESCRIPTOR } from '../../src/core/oci/descriptor';
import { digestOf } from '../../src/core/content/hashing';
import { Annotation, MediaType } from '../../src/core/oci/mediaTypes';
import { EMPTY_JSON } from '../../src/core/content';
import type { Target } from '../../src/core/content/target';

export interface PushedArtifact {
  manifest: Descriptor;
  manifestBytes: Buffer;
  layer: Descriptor;
  layerBytes: Buffer;
}

export function bytesContent(bytes: Buffer) {
  return async (offset: number) => Readable.from([bytes.subarray(offset)]);
}

export function manifestDescriptor(bytes: Buffer, mediaType: string = MediaType.ociManifest): Descriptor {
  return { mediaType, digest: digestOf(bytes), size: bytes.length };
}

export function artifactManifest(layers: Descriptor[], extra: Partial<ImageManifest> = {}): Buffer {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: 'application/vnd.stowage.test',
    config: { mediaType: EMPTY_DESCRIPTOR.mediaType, digest: EMPTY_DESCRIPTOR.digest, size: EMPTY_DESCRIPTOR.size },
    layers,
    ...extra,
  };
  return Buffer.from(JSON.stringify(manifest));
}

export async function pushArtifact(
  target: Target,
  content: string | Buffer,
  options: { tag?: string; subject?: Descriptor; title?: string; layerMediaType?: string } = {},
): Promise<PushedArtifact> {
  const layerBytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const layer: Descriptor = {
    mediaType: options.layerMediaType ?? 'application/vnd.stowage.test.layer',
    digest: digestOf(layerBytes),
    size: layerBytes.length,
    annotations: { [Annotation.title]: options.title ?? 'payload.txt' },
  };
  await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
  await target.pushBlob(layer, bytesContent(layerBytes));
  const manifestBytes = artifactManifest([layer], options.subject ? { subject: options.subject } : {});
  const manifest = manifestDescriptor(manifestBytes);
  await target.pushManifest(manifest, manifestBytes, { tag: options.tag });
  return { manifest, manifestBytes, layer, layerBytes };
}

/**
 * What cosign keeps under `sha256-<hex of subject>.sig|.att|.sbom`: a simple-signing payload, a DSSE envelope of
 * an in-toto statement, or an SPDX document, each saying it is about `about` (the subject unless a test forges).
 */
export async function pushCosignTag(
  target: Target,
  subject: Descriptor,
  kind: 'sig' | 'att' | 'sbom',
  about: string = subject.digest,
): Promise<PushedArtifact> {
  const tag = `${subject.digest.replace(':', '-')}.${kind}`;
  if (kind === 'sig') {
    const payload = {
      critical: { identity: {}, image: { 'docker-manifest-digest': about }, type: 'cosign container image signature' },
      optional: null,
    };
    return pushArtifact(target, JSON.stringify(payload), { tag, layerMediaType: MediaType.cosignSimpleSigning });
  }
  if (kind === 'att') {
    const statement = {
      _type: 'https://in-toto.io/Statement/v0.1',
      subject: [{ name: 'app', digest: { sha256: about.split(':')[1] } }],
    };
    const envelope = {
      payloadType: MediaType.inToto,
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      signatures: [],
    };
    return pushArtifact(target, JSON.stringify(envelope), {
      tag,
      layerMediaType: MediaType.dsseEnvelope,
    });
  }
  return pushArtifact(target, '{"spdxVersion":"SPDX-2.3"}', { tag, layerMediaType: MediaType.spdx });
}
