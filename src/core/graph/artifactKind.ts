// What an artifact is, from its descriptor alone (media type, artifactType, annotations), so that a graph of
// hundreds of referrers can be labelled without fetching each manifest. The one classifier: the graph shows the
// kind, the tree groups referrers by the kind's family.
import { artifactTypeOf, type Descriptor, isIndexType, type Manifest, MediaType } from '../oci';
import { COSIGN_TAG_TYPES } from './referrers';

export type ArtifactKind =
  | 'notary-signature'
  | 'cosign-signature'
  | 'signature'
  | 'spdx-sbom'
  | 'cyclonedx-sbom'
  | 'sbom'
  | 'in-toto-attestation'
  | 'buildx-attestation'
  | 'attestation'
  | 'image'
  | 'image-index'
  | 'helm-chart'
  | 'wasm'
  | 'opa-bundle'
  | 'flux-artifact'
  | 'singularity-image'
  | 'other';

export const ARTIFACT_KIND_LABELS: Readonly<Record<ArtifactKind, string>> = {
  'notary-signature': 'Notary signature',
  'cosign-signature': 'cosign signature',
  signature: 'Signature',
  'spdx-sbom': 'SPDX SBOM',
  'cyclonedx-sbom': 'CycloneDX SBOM',
  sbom: 'SBOM',
  'in-toto-attestation': 'in-toto attestation',
  'buildx-attestation': 'BuildKit attestation',
  attestation: 'Attestation',
  image: 'Image',
  'image-index': 'Image index',
  'helm-chart': 'Helm chart',
  wasm: 'WebAssembly module',
  'opa-bundle': 'OPA bundle',
  'flux-artifact': 'Flux artifact',
  'singularity-image': 'Singularity image',
  other: 'Artifact',
};

/** Config types that make a manifest a runnable image rather than an artifact. */
const IMAGE_CONFIG_TYPES: ReadonlySet<string> = new Set([MediaType.ociConfig, MediaType.dockerConfig]);

const SYFT_SBOM = 'application/vnd.syft+json';

export function artifactKindOf(descriptor: Descriptor): ArtifactKind {
  const type = (descriptor.artifactType ?? '').toLowerCase();
  if (type === MediaType.notarySignature) return 'notary-signature';
  if (type === COSIGN_TAG_TYPES['sig'] || type === MediaType.sigstoreBundle || type === MediaType.cosignSimpleSigning)
    return 'cosign-signature';
  if (type.includes('signature')) return 'signature';
  if (type === MediaType.spdx || type.includes('spdx')) return 'spdx-sbom';
  if (type === MediaType.cyclonedx || type.includes('cyclonedx')) return 'cyclonedx-sbom';
  if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return 'buildx-attestation';
  if (type === MediaType.inToto || type.includes('in-toto') || type === COSIGN_TAG_TYPES['att'])
    return 'in-toto-attestation';
  if (type === COSIGN_TAG_TYPES['sbom']) return 'spdx-sbom';
  if (type === SYFT_SBOM || type.includes('sbom')) return 'sbom';
  if (type === MediaType.dsseEnvelope || type.includes('attestation') || type.includes('provenance'))
    return 'attestation';
  if (type === MediaType.helmConfig) return 'helm-chart';
  if (type === MediaType.wasmConfig || type === MediaType.wasmModuleConfig || type.includes('wasm')) return 'wasm';
  if (type === MediaType.opaConfig) return 'opa-bundle';
  if (type === MediaType.fluxConfig) return 'flux-artifact';
  if (type === MediaType.singularityConfig) return 'singularity-image';
  if (IMAGE_CONFIG_TYPES.has(type)) return 'image';
  if (type) return 'other';
  if (isIndexType(descriptor.mediaType)) return 'image-index';
  if (descriptor.mediaType === MediaType.ociManifest || descriptor.mediaType === MediaType.dockerManifest)
    return 'image';
  return 'other';
}

/** The families the tree groups referrers into. */
export type ArtifactFamily = 'signature' | 'sbom' | 'attestation' | 'other';

const FAMILIES: Readonly<Record<ArtifactKind, ArtifactFamily>> = {
  'notary-signature': 'signature',
  'cosign-signature': 'signature',
  signature: 'signature',
  'spdx-sbom': 'sbom',
  'cyclonedx-sbom': 'sbom',
  sbom: 'sbom',
  'in-toto-attestation': 'attestation',
  'buildx-attestation': 'attestation',
  attestation: 'attestation',
  image: 'other',
  'image-index': 'other',
  'helm-chart': 'other',
  wasm: 'other',
  'opa-bundle': 'other',
  'flux-artifact': 'other',
  'singularity-image': 'other',
  other: 'other',
};

export function artifactFamilyOf(descriptor: Descriptor): ArtifactFamily {
  return FAMILIES[artifactKindOf(descriptor)];
}

/**
 * The kind of a fetched manifest: its `artifactType`, else its config media type (image-spec's rule), so a Helm
 * chart or an image reached by tag is named without its descriptor saying so.
 */
export function artifactKindOfManifest(descriptor: Descriptor, manifest: Manifest): ArtifactKind {
  const artifactType = descriptor.artifactType ?? artifactTypeOf(manifest);
  return artifactKindOf(artifactType ? { ...descriptor, artifactType } : descriptor);
}
