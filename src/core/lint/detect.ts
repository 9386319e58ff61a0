// Decides what a document is, from its content first, then from the file name or media type the caller knows.
import { isJsonObject, MediaType, mayNameMember } from '../oci';

export type DocumentKind =
  | 'ociManifest'
  | 'ociIndex'
  | 'dockerManifest'
  | 'dockerManifestList'
  | 'imageConfig'
  | 'ociLayout'
  | 'layoutIndex'
  | 'descriptor'
  | 'unknown';

export interface DetectionHints {
  /** The document's file name or path; `oci-layout` and `index.json` name layout files. */
  fileName?: string;
  /** The media type the document was served or stored with (e.g. a descriptor's or a Content-Type). */
  mediaType?: string;
  /** Skip detection. */
  kind?: DocumentKind;
}

type Json = Record<string, unknown>;

export const isObject: (value: unknown) => value is Json = isJsonObject;

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

const DOCKER_TYPES: readonly string[] = [MediaType.dockerManifest, MediaType.dockerManifestList];

export function detectKind(value: unknown, hints: DetectionHints = {}): DocumentKind {
  if (hints.kind) return hints.kind;
  if (!isObject(value)) return 'unknown';
  const name = hints.fileName ? baseName(hints.fileName) : undefined;
  if ('imageLayoutVersion' in value || name === 'oci-layout') return 'ociLayout';

  const declared = typeof value.mediaType === 'string' ? value.mediaType : hints.mediaType;
  const docker = declared !== undefined ? DOCKER_TYPES.includes(declared) : looksLikeDocker(value);
  const declaredDocker = typeof value.mediaType === 'string' && DOCKER_TYPES.includes(value.mediaType);
  const indexKind = (): DocumentKind => {
    // A layout's index.json is an OCI index by definition, whatever its entries are, unless it says otherwise.
    if (name === 'index.json' && !declaredDocker) return 'layoutIndex';
    return docker ? 'dockerManifestList' : 'ociIndex';
  };
  const manifestKind = (): DocumentKind => (docker ? 'dockerManifest' : 'ociManifest');
  // The structure decides between manifest and index; a contradicting mediaType is reported by a rule.
  const looksLikeIndex = Array.isArray(value.manifests);
  // An image config has a "config" too, but not a descriptor-shaped one.
  const looksLikeManifest =
    'layers' in value || (isObject(value.config) && ('digest' in value.config || 'mediaType' in value.config));
  if ('rootfs' in value && !looksLikeIndex && !looksLikeManifest) return 'imageConfig';
  if (looksLikeIndex) return indexKind();
  if (looksLikeManifest) return manifestKind();
  if (name === 'index.json') return 'layoutIndex';
  if ('digest' in value && 'size' in value && !('schemaVersion' in value)) return 'descriptor';
  if ('architecture' in value && 'os' in value) return 'imageConfig';
  if (isIndexMediaType(declared)) return indexKind();
  if (isManifestMediaType(declared)) return manifestKind();
  if (hints.mediaType === MediaType.ociConfig || hints.mediaType === MediaType.dockerConfig) return 'imageConfig';
  return 'unknown';
}

/** Every member detectKind looks at when it has no hints: a document naming none of them is 'unknown'. */
const DETECTED_BY = [
  'imageLayoutVersion',
  'mediaType',
  'manifests',
  'layers',
  'config',
  'rootfs',
  'digest',
  'architecture',
] as const;

/**
 * Whether a document without hints may be anything but 'unknown', from a text search: the editor asks this of
 * every JSON file before parsing it (parsing an 8 MB package-lock.json for positions takes ~0.3 s).
 */
export function mayBeOciDocument(text: string): boolean {
  return mayNameMember(text, DETECTED_BY);
}

/** Without a declared type, Docker content still shows in the types of what it refers to. */
function looksLikeDocker(value: Json): boolean {
  if (isObject(value.config)) return value.config.mediaType === MediaType.dockerConfig;
  const first = Array.isArray(value.manifests) ? value.manifests[0] : undefined;
  return isObject(first) && first.mediaType === MediaType.dockerManifest;
}

function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

export function isManifestKind(kind: DocumentKind): kind is 'ociManifest' | 'dockerManifest' {
  return kind === 'ociManifest' || kind === 'dockerManifest';
}

export function isIndexKind(kind: DocumentKind): kind is 'ociIndex' | 'dockerManifestList' | 'layoutIndex' {
  return kind === 'ociIndex' || kind === 'dockerManifestList' || kind === 'layoutIndex';
}

export const KIND_NAMES: Record<DocumentKind, string> = {
  ociManifest: 'OCI image manifest',
  ociIndex: 'OCI image index',
  dockerManifest: 'Docker image manifest (schema 2)',
  dockerManifestList: 'Docker manifest list',
  imageConfig: 'image configuration',
  ociLayout: 'oci-layout file',
  layoutIndex: 'image layout index.json',
  descriptor: 'content descriptor',
  unknown: 'unrecognised document',
};
