// Recognises an SBOM by its content, not by a file name or a media type someone else chose.
import { MediaType } from '../oci';

export type SbomType = 'spdx' | 'cyclonedx';

export function parseJsonObject(bytes: Uint8Array | string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(bytes)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** 'spdx' for SPDX JSON (`spdxVersion: "SPDX-…"`), 'cyclonedx' for CycloneDX JSON (`bomFormat: "CycloneDX"`). */
export function detectSbomType(bytes: Uint8Array | string): SbomType | undefined {
  const document = parseJsonObject(bytes);
  if (!document) return undefined;
  if (typeof document.spdxVersion === 'string' && document.spdxVersion.startsWith('SPDX-')) return 'spdx';
  if (document.bomFormat === 'CycloneDX') return 'cyclonedx';
  return undefined;
}

export function sbomMediaType(type: SbomType): string {
  return type === 'spdx' ? MediaType.spdx : MediaType.cyclonedx;
}
