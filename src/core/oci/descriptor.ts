// The data model of image-spec v1.1: descriptors, manifests, indexes (Docker schema2 shares the shapes).
import { digestProblem } from './digest';
import { Annotation, EMPTY_DIGEST, EMPTY_JSON_BASE64, MediaType } from './mediaTypes';
import { printable } from './errors';

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  features?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  artifactType?: string;
  platform?: Platform;
}

/**
 * Why `value` cannot be used as a descriptor (read from a registry or a layout, it may be anything), or undefined:
 * a valid digest, a byte count for size, a string media type. Its texts are safe to show.
 */
export function descriptorProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  const d = value as Partial<Descriptor>;
  const digest = typeof d.digest === 'string' ? digestProblem(d.digest) : 'missing';
  if (digest) return `has an invalid digest ${printable(JSON.stringify(d.digest) ?? 'undefined')}: ${digest}`;
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
    return `(${d.digest}) has an invalid size ${printable(JSON.stringify(d.size) ?? 'undefined')}`;
  if (typeof d.mediaType !== 'string') return `(${d.digest}) has no mediaType`;
  // Read as text everywhere (kinds, signature types): any other JSON value would throw far from here.
  if (d.artifactType !== undefined && typeof d.artifactType !== 'string')
    return `(${d.digest}) has an artifactType that is not a string`;
  return undefined;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export type Manifest = ImageManifest | ImageIndex;

export function isIndex(manifest: Manifest): manifest is ImageIndex {
  return Array.isArray((manifest as ImageIndex).manifests);
}

export const EMPTY_DESCRIPTOR: Readonly<Descriptor> = Object.freeze({
  mediaType: MediaType.ociEmpty,
  digest: EMPTY_DIGEST,
  size: 2,
  data: EMPTY_JSON_BASE64,
});

/** The descriptor with only the fields that travel (drops undefined and empty annotation maps). */
export function cleanDescriptor(d: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.artifactType) out.artifactType = d.artifactType;
  if (d.urls?.length) out.urls = d.urls;
  if (d.data) out.data = d.data;
  if (d.platform) out.platform = d.platform;
  if (d.annotations && Object.keys(d.annotations).length) out.annotations = d.annotations;
  return out;
}

/** The artifact type of a manifest: `artifactType`, else the config media type (image-spec guidance). */
export function artifactTypeOf(manifest: Manifest): string | undefined {
  if (manifest.artifactType) return manifest.artifactType;
  return isIndex(manifest) ? undefined : manifest.config?.mediaType;
}

export function titleOf(d: Descriptor): string | undefined {
  return d.annotations?.[Annotation.title];
}

/**
 * The first 12 hex characters of a digest, enough to tell artifacts apart at a glance. `withAlgorithm` keeps the
 * "sha256:" in front (the graph shows it, so a reader knows which hash the prefix belongs to).
 */
export function shortDigest(digest: string, { withAlgorithm = false } = {}): string {
  const colon = digest.indexOf(':');
  if (colon < 0) return digest.slice(0, 12);
  const hex = digest.slice(colon + 1, colon + 13);
  return withAlgorithm ? `${digest.slice(0, colon + 1)}${hex}` : hex;
}
