// Completions for writing OCI documents by hand: well-known media types where a mediaType or artifactType value
// goes (those that fit the place first), and the empty descriptor where a config or a layer goes. Pure: text and
// an offset in, items with the range they replace out; the editor layer turns them into completion items.
import { getLocation, parse } from 'jsonc-parser';
import { EMPTY_DESCRIPTOR, MAX_MANIFEST_BYTES, MediaType, mayNameMember } from '../oci';
import { detectKind, isObject } from './detect';
import { MEDIA_TYPE_MEANINGS } from './mediaTypeMeanings';
import { WELL_KNOWN_MEDIA_TYPES } from './mediaTypeNames';
import type { JsonPath } from './problem';

export interface Completion {
  label: string;
  /** What the item is, in a line. */
  detail: string;
  /** The JSON text to insert (a quoted string, or an object). */
  insertText: string;
  /** The text it replaces: the string under the cursor, or nothing (offset, length 0). */
  offset: number;
  length: number;
  /** Lower sorts first: the types that fit the place before the rest. */
  rank: number;
  kind: 'mediaType' | 'descriptor';
}

/** Types that fit each place, first; every other well-known type follows. */
const FITTING: Record<'manifest' | 'config' | 'layer' | 'artifactType' | 'entry', readonly string[]> = {
  manifest: [MediaType.ociManifest, MediaType.ociIndex],
  config: [MediaType.ociEmpty, MediaType.ociConfig, MediaType.helmConfig, MediaType.wasmConfig],
  layer: [MediaType.ociLayerGzip, MediaType.ociLayerZstd, MediaType.ociLayer, MediaType.ociEmpty],
  artifactType: [
    MediaType.spdx,
    MediaType.cyclonedx,
    MediaType.notarySignature,
    MediaType.sigstoreBundle,
    MediaType.inToto,
  ],
  entry: [MediaType.ociManifest, MediaType.ociIndex],
};

const DESCRIPTOR_KEYS = new Set(['mediaType', 'artifactType']);

/** Members one of the documents completed here has (a text search, before any parsing). */
const OCI_MEMBERS = ['schemaVersion', 'config', 'layers', 'manifests', 'digest'];

export function completionsAt(text: string, offset: number): Completion[] {
  // Asked on every quote typed in any JSON file (a package-lock.json of megabytes): look before parsing anything.
  if (text.length > MAX_MANIFEST_BYTES || !mayNameMember(text, OCI_MEMBERS)) return [];
  const location = getLocation(text, offset);
  if (location.isAtPropertyKey) return [];
  const path = location.path as JsonPath;
  const key = path[path.length - 1];
  const node = location.previousNode;
  // Only where a value is being written: after the colon, or inside the string value itself.
  if (node && (node.type !== 'string' || offset < node.offset || offset > node.offset + node.length)) return [];
  if (!looksLikeOciDocument(text)) return [];
  const at = node ? { offset: node.offset, length: node.length } : { offset, length: 0 };
  if (typeof key === 'string' && DESCRIPTOR_KEYS.has(key)) return mediaTypes(placeOf(path), at);
  if (!node && (isConfigPlace(path) || isLayerPlace(path))) return [emptyDescriptor(offset)];
  return [];
}

type Place = keyof typeof FITTING;

function placeOf(path: JsonPath): Place {
  if (path[path.length - 1] === 'artifactType') return 'artifactType';
  if (path.length === 1) return 'manifest';
  if (path[0] === 'config') return 'config';
  if (path[0] === 'layers') return 'layer';
  return 'entry';
}

function mediaTypes(place: Place, at: { offset: number; length: number }): Completion[] {
  const fitting = FITTING[place];
  return WELL_KNOWN_MEDIA_TYPES.map((type) => {
    const first = fitting.indexOf(type);
    return {
      label: type,
      detail: MEDIA_TYPE_MEANINGS[type] ?? 'A media type seen in registries.',
      insertText: JSON.stringify(type),
      ...at,
      rank: first >= 0 ? first : fitting.length + 1,
      kind: 'mediaType' as const,
    };
  });
}

function isConfigPlace(path: JsonPath): boolean {
  return path.length === 1 && path[0] === 'config';
}

function isLayerPlace(path: JsonPath): boolean {
  return path.length === 2 && path[0] === 'layers' && typeof path[1] === 'number';
}

function emptyDescriptor(offset: number): Completion {
  const { mediaType, digest, size } = EMPTY_DESCRIPTOR;
  return {
    label: 'empty descriptor',
    detail: `{} — ${mediaType}, size 2: the config of an artifact without one, or a placeholder layer`,
    insertText: JSON.stringify({ mediaType, digest, size }),
    offset,
    length: 0,
    rank: 0,
    kind: 'descriptor',
  };
}

/**
 * A manifest, index or descriptor — or one being started (schemaVersion written, nothing else yet): JSON files that
 * merely have a "mediaType" key get nothing.
 */
function looksLikeOciDocument(text: string): boolean {
  const value: unknown = parse(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!isObject(value)) return false;
  if (value.schemaVersion === 2) return true;
  const kind = detectKind(value);
  return kind === 'ociManifest' || kind === 'ociIndex' || kind === 'descriptor' || kind === 'layoutIndex';
}
