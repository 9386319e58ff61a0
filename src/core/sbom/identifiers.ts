// Deterministic identifiers for generated SBOMs: the same artifact and files always give the same document.
import { createHash } from 'node:crypto';
import { artifactTypeOf, type Manifest, encodedOf, MediaType } from '../oci';

/** Stowage's UUID namespace for name-based SBOM identifiers (a fixed random UUID). */
const STOWAGE_NAMESPACE = '5b0e3c52-7d0a-4f1e-9a57-2f3c8e6d41b9';

/**
 * A name-based UUID (version 5, RFC 4122 §4.3). CycloneDX's schema only accepts UUID versions 1–5, so the newer
 * hash-based version 8 is not an option.
 */
export function uuidV5(name: string, namespace = STOWAGE_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface SbomFile {
  name: string;
  size: number;
  /** Lowercase hex SHA-256 of the file content (a layer digest without its `sha256:`). */
  sha256: string;
  /**
   * Lowercase hex SHA-1 of the content, when the caller has the content (at push time). SPDX 2.3 asks for a SHA1
   * checksum on every file; registries only give SHA-256, so it is optional here.
   */
  sha1?: string;
  mediaType: string;
}

/** Names the document by what it describes: format, subject digest and the file list. */
export function documentUuid(format: string, subjectDigest: string, files: readonly SbomFile[]): string {
  const fileList = files
    .map((file) => `${file.sha256} ${file.sha1 ?? ''} ${file.size} ${file.mediaType} ${file.name}`)
    .join('\n');
  return uuidV5(`${format}\n${subjectDigest}\n${createHash('sha256').update(fileList).digest('hex')}`);
}

export interface ReferenceParts {
  /** Registry and repository (`ghcr.io/org/app`), or undefined for an OCI layout reference. */
  repository?: string;
  tag?: string;
}

/** Splits `registry/repo[:tag][@digest]`; `oci:` layout references have no repository. */
export function referenceParts(reference: string): ReferenceParts {
  if (reference.startsWith('oci:')) return {};
  const withoutDigest = reference.split('@')[0]!;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/'))
    return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  return { repository: withoutDigest };
}

/** The package URL of an OCI artifact (purl type `oci`): name, digest as version, repository_url and tag qualifiers. */
export function ociPurl(reference: string, digest: string): string | undefined {
  const { repository, tag } = referenceParts(reference);
  if (!repository) return undefined;
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  const encode = (value: string) => encodeURIComponent(value).replace(/%2F/g, '/');
  const qualifiers = [`repository_url=${encode(repository.toLowerCase())}`];
  if (tag) qualifiers.push(`tag=${encode(tag)}`);
  return `pkg:oci/${encodeURIComponent(name)}@${encodeURIComponent(digest)}?${qualifiers.join('&')}`;
}

/** `sha256:…` → ['SHA-256' style algorithm name, hex] for the subject's own checksum. */
export function digestParts(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  return { algorithm: digest.startsWith('sha512:') ? 'sha512' : 'sha256', hex: encodedOf(digest) };
}

/** True for container images (an image config), as opposed to other OCI artifacts. */
export function isContainerImage(manifest: Manifest): boolean {
  const type = artifactTypeOf(manifest);
  return type === MediaType.ociConfig || type === MediaType.dockerConfig;
}
