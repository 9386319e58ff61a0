// What the push and attach prompts say and offer. Annotations are parsed by core/annotationText.

/** How to type annotations (the grammar of core/annotationText). */
export const ANNOTATIONS_PROMPT =
  'Annotations as key=value, separated by "," or ";" (a comma not followed by key= stays in the value)';

/** Artifact types offered when pushing, after the configured default. */
export const SUGGESTED_ARTIFACT_TYPES: readonly { type: string; label: string }[] = [
  { type: 'application/vnd.oci.image.config.v1+json', label: 'OCI image config' },
  { type: 'application/vnd.cncf.helm.config.v1+json', label: 'Helm chart' },
  { type: 'application/vnd.wasm.config.v0+json', label: 'WebAssembly module' },
  { type: 'application/vnd.cyclonedx+json', label: 'CycloneDX SBOM' },
  { type: 'application/spdx+json', label: 'SPDX SBOM' },
  { type: 'application/vnd.unknown.artifact.v1', label: 'Unknown (ORAS default)' },
];
