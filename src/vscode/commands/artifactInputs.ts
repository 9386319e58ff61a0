// Parsing what the user types for a push: annotations as "key=value" pairs. Pure (unit-tested).

/** "a=1, b=two words" → { a: "1", b: "two words" }; an empty answer is no annotations. */
export function parseAnnotations(text: string): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const key = trimmed.slice(0, eq).trim();
    annotations[key] = trimmed.slice(eq + 1).trim();
  }
  return annotations;
}

/** Why the text is not a list of annotations, or undefined when it is. */
export function annotationsProblem(text: string): string | undefined {
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return `"${trimmed}" is not key=value`;
    if (/\s/.test(trimmed.slice(0, eq).trim())) return `the key "${trimmed.slice(0, eq).trim()}" contains spaces`;
  }
  return undefined;
}

/** Artifact types offered when pushing, after the configured default. */
export const SUGGESTED_ARTIFACT_TYPES: readonly { type: string; label: string }[] = [
  { type: 'application/vnd.oci.image.config.v1+json', label: 'OCI image config' },
  { type: 'application/vnd.cncf.helm.config.v1+json', label: 'Helm chart' },
  { type: 'application/vnd.wasm.config.v0+json', label: 'WebAssembly module' },
  { type: 'application/vnd.cyclonedx+json', label: 'CycloneDX SBOM' },
  { type: 'application/spdx+json', label: 'SPDX SBOM' },
  { type: 'application/vnd.unknown.artifact.v1', label: 'Unknown (ORAS default)' },
];
