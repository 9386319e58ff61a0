// What an artifact is, from its descriptor alone (media type, artifactType, annotations), so that a graph of
// hundreds of referrers can be labelled without fetching each manifest.
import { type Descriptor, isIndexType, MediaType } from '../oci';
import { COSIGN_TAG_TYPES } from './referrers';

export type ArtifactKind =
  | 'notary-signature'
  | 'cosign-signature'
  | 'spdx-sbom'
  | 'cyclonedx-sbom'
  | 'in-toto-attestation'
  | 'buildx-attestation'
  | 'image'
  | 'image-index'
  | 'helm-chart'
  | 'wasm'
  | 'other';

export const ARTIFACT_KIND_LABELS: Readonly<Record<ArtifactKind, string>> = {
  'notary-signature': 'Notary signature',
  'cosign-signature': 'cosign signature',
  'spdx-sbom': 'SPDX SBOM',
  'cyclonedx-sbom': 'CycloneDX SBOM',
  'in-toto-attestation': 'in-toto attestation',
  'buildx-attestation': 'BuildKit attestation',
  image: 'Image',
  'image-index': 'Image index',
  'helm-chart': 'Helm chart',
  wasm: 'WebAssembly module',
  other: 'Artifact',
};

export function artifactKindOf(descriptor: Descriptor): ArtifactKind {
  const type = (descriptor.artifactType ?? '').toLowerCase();
  if (type === MediaType.notarySignature) return 'notary-signature';
  if (type === COSIGN_TAG_TYPES['sig'] || type === MediaType.sigstoreBundle || type === MediaType.cosignSimpleSigning)
    return 'cosign-signature';
  if (type === MediaType.spdx || type.includes('spdx')) return 'spdx-sbom';
  if (type === MediaType.cyclonedx || type.includes('cyclonedx')) return 'cyclonedx-sbom';
  if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return 'buildx-attestation';
  if (type === MediaType.inToto || type.includes('in-toto') || type === COSIGN_TAG_TYPES['att'])
    return 'in-toto-attestation';
  if (type === COSIGN_TAG_TYPES['sbom']) return 'spdx-sbom';
  if (type === MediaType.helmConfig) return 'helm-chart';
  if (type === MediaType.wasmConfig || type.includes('wasm')) return 'wasm';
  if (type) return 'other';
  if (isIndexType(descriptor.mediaType)) return 'image-index';
  if (descriptor.mediaType === MediaType.ociManifest || descriptor.mediaType === MediaType.dockerManifest)
    return 'image';
  return 'other';
}
