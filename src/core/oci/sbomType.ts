// Recognises an SBOM by its content, not by a file name or a media type someone else chose. Here, beside the media
// types, so that the editor's linter recognises SBOMs without loading what validates them.
import { mayNameMember, parseJsonObject } from './jsonObject';
import { MediaType } from './mediaTypes';

export type SbomType = 'spdx' | 'cyclonedx';

/** 'spdx' for SPDX JSON (`spdxVersion: "SPDX-…"`), 'cyclonedx' for CycloneDX JSON (`bomFormat: "CycloneDX"`). */
export function detectSbomType(bytes: Uint8Array | string): SbomType | undefined {
  const document = parseJsonObject(bytes);
  return document && sbomTypeOf(document);
}

/** detectSbomType of a document already parsed. */
export function sbomTypeOf(document: Record<string, unknown>): SbomType | undefined {
  if (typeof document.spdxVersion === 'string' && document.spdxVersion.startsWith('SPDX-')) return 'spdx';
  if (document.bomFormat === 'CycloneDX') return 'cyclonedx';
  return undefined;
}

/**
 * Whether `text` may be an SBOM, without parsing it: it names the member that says so. For the editor's linter,
 * which asks this of every JSON document on every pause in typing (a package-lock.json of megabytes included);
 * detectSbomType decides.
 */
export function mayBeSbom(text: string): boolean {
  return mayNameMember(text, ['spdxVersion', 'bomFormat']);
}

/** Whether an artifact type says its files are SPDX or CycloneDX JSON (what scanners then read them as). */
export function isSbomArtifactType(artifactType: string): boolean {
  return artifactType === MediaType.spdx || artifactType === MediaType.cyclonedx;
}

export function sbomMediaType(type: SbomType): string {
  return type === 'spdx' ? MediaType.spdx : MediaType.cyclonedx;
}
