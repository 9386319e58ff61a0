// Attaches documents held in memory (an SBOM, a signature file) to a subject as one referrer artifact.
import { cleanDescriptor, EMPTY_DESCRIPTOR, type Descriptor, Annotation } from '../oci';
import { EMPTY_JSON } from '../content';
import { digestOf, type Target } from '../content';
import { buildArtifactManifest } from '../files';
import { pushReferrer, type InMemoryBlob } from './pushReferrer';

export interface AttachedDocument {
  title: string;
  mediaType: string;
  bytes: Buffer;
}

export interface AttachBytesOptions {
  artifactType: string;
  documents: readonly AttachedDocument[];
  annotations?: Record<string, string>;
  signal?: AbortSignal;
}

export async function attachBytes(
  target: Target,
  subject: Descriptor,
  options: AttachBytesOptions,
): Promise<Descriptor> {
  const layers: InMemoryBlob[] = options.documents.map((doc) => ({
    descriptor: {
      mediaType: doc.mediaType,
      digest: digestOf(doc.bytes),
      size: doc.bytes.length,
      annotations: { [Annotation.title]: doc.title },
    },
    bytes: doc.bytes,
  }));
  const built = buildArtifactManifest({
    artifactType: options.artifactType,
    layers: layers.map((l) => l.descriptor),
    annotations: options.annotations,
    subject: cleanDescriptor({ mediaType: subject.mediaType, digest: subject.digest, size: subject.size }),
  });
  const config: InMemoryBlob = {
    descriptor: cleanDescriptor({ ...EMPTY_DESCRIPTOR, data: undefined }),
    bytes: Buffer.from(EMPTY_JSON),
  };
  return pushReferrer(target, built, [config, ...layers], options.signal);
}
