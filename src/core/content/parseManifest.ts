// Turning manifest bytes (from a registry, a layout or memory) into a Manifest by one set of checks, and telling
// manifests from indexes when no descriptor says.
import {
  isIndex,
  isIndexType,
  isManifestOrIndex,
  printable,
  type Descriptor,
  type Manifest,
  MAX_MANIFEST_BYTES,
  OciError,
  MediaType,
  SizeExceededError,
} from '../oci';
import { verifyBytes } from './hashing';

export function parseManifestBytes(bytes: Buffer, what: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new OciError('INVALID_CONTENT', `${what} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new OciError('INVALID_CONTENT', `${what} is not a JSON object`);
  const manifest = value as Partial<Manifest>;
  if (manifest.schemaVersion === undefined)
    throw new OciError('INVALID_CONTENT', `${what} has no schemaVersion: a manifest or index says "schemaVersion": 2`);
  if (manifest.schemaVersion !== 2)
    throw new OciError(
      'INVALID_CONTENT',
      `${what} has schemaVersion ${JSON.stringify(manifest.schemaVersion)}, expected 2`,
    );
  return manifest as Manifest;
}

/**
 * The media type a tag records for a manifest: what its own bytes declare; the caller's word (a HEAD's
 * Content-Type, a listing's) only where they declare none (schema2 and OCI manifests may leave it out) and it names
 * the manifest's own shape; else the shape's type. A manifest declaring a type that is no manifest or index type is
 * refused (`what` names it): a layout's index.json entry of such a type is not walked by garbage collection, which
 * would then remove the config and layers of a tagged image.
 */
export function taggedMediaType(manifest: Manifest, callers: string | undefined, what: string): string {
  const declared = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined;
  if (declared !== undefined && declared !== '') {
    if (isManifestOrIndex(declared)) return declared;
    throw new OciError(
      'INVALID_CONTENT',
      `${what} declares the media type "${printable(declared)}", which is no manifest or index type: not tagged`,
    );
  }
  if (isManifestOrIndex(callers) && isIndexType(callers) === isIndex(manifest)) return callers!;
  return mediaTypeOfManifest(manifest);
}

/** The manifest's own mediaType, else what its shape says (an index has "manifests"). */
export function mediaTypeOfManifest(manifest: Manifest): string {
  if (typeof manifest.mediaType === 'string' && manifest.mediaType !== '') return manifest.mediaType;
  return isIndex(manifest) ? MediaType.ociIndex : MediaType.ociManifest;
}

/**
 * What every store checks before it keeps a manifest: at most 4 MiB, the digest and size it is pushed under, a
 * JSON object with schemaVersion 2. Errors name the store and the digest.
 */
export function manifestToStore(location: string, descriptor: Descriptor, bytes: Buffer): Manifest {
  const what = `${location}: manifest ${descriptor.digest}`;
  if (bytes.length > MAX_MANIFEST_BYTES) throw new SizeExceededError(what, MAX_MANIFEST_BYTES);
  verifyBytes(what, bytes, descriptor.digest, descriptor.size);
  return parseManifestBytes(bytes, what);
}
