// What the push and attach prompts say and offer. Annotations are parsed by core/annotationText.
import { MediaType } from '../../core/oci';

/** How to type annotations (the grammar of core/annotationText). */
export const ANNOTATIONS_PROMPT =
  'Annotations as key=value, separated by "," or ";" (a comma not followed by key= stays in the value)';

export interface ArtifactTypeChoice {
  type: string;
  label: string;
}

const ORAS_DEFAULT: ArtifactTypeChoice = {
  type: 'application/vnd.unknown.artifact.v1',
  label: 'Unknown (ORAS default)',
};

/**
 * Artifact types offered when pushing, after the configured default. Not the OCI image config type: files
 * pushed as an artifact are no image, and tools would take them for one. Nor Helm's or WebAssembly's config
 * types: under them Stowage would call the files a Helm chart or a module, yet `helm pull` and wasm runtimes
 * refuse them (they need the config and layer types their tools write, which a push of files does not make).
 */
export const SUGGESTED_ARTIFACT_TYPES: readonly ArtifactTypeChoice[] = [
  { type: MediaType.cyclonedx, label: 'CycloneDX SBOM' },
  { type: MediaType.spdx, label: 'SPDX SBOM' },
  ORAS_DEFAULT,
];

/** Artifact types offered when attaching files to an artifact: the kinds of referrers the tree groups. */
export const REFERRER_ARTIFACT_TYPES: readonly ArtifactTypeChoice[] = [
  { type: MediaType.cyclonedx, label: 'CycloneDX SBOM' },
  { type: MediaType.spdx, label: 'SPDX SBOM' },
  { type: MediaType.inToto, label: 'in-toto attestation' },
  { type: MediaType.sigstoreBundle, label: 'Sigstore bundle (signature or attestation)' },
  { type: MediaType.notarySignature, label: 'Notary Project signature (Attach Signature… checks one)' },
  ORAS_DEFAULT,
];
