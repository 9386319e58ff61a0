// index.json of an image layout: reading it strictly enough to trust, and the tag <-> ref.name mapping.
import * as path from 'node:path';
import {
  type Descriptor,
  type ImageIndex,
  descriptorProblem,
  OciError,
  Annotation,
  MediaType,
  parseRegistryReference,
  isDigest,
  INDEX_FILE,
  LAYOUT_FILE,
  LAYOUT_VERSION,
  MAX_INDEX_BYTES,
  MAX_LAYOUT_FILE_BYTES,
} from '../oci';
import { readLayoutFile } from '../content';

export { INDEX_FILE, LAYOUT_FILE, LAYOUT_VERSION, MAX_INDEX_BYTES, MAX_LAYOUT_FILE_BYTES };

export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
}

/** Reads and checks index.json; errors name the layout and the entry at fault. */
export async function readIndexFile(layoutPath: string): Promise<ImageIndex> {
  const file = path.join(layoutPath, INDEX_FILE);
  let text: string;
  try {
    text = (await readLayoutFile(layoutPath, file, MAX_INDEX_BYTES, `${layoutPath}: ${INDEX_FILE}`)).toString('utf8');
  } catch (err) {
    if (OciError.is(err) && err.code !== 'NOT_FOUND') throw err;
    throw new OciError('LAYOUT', `${layoutPath}: cannot read ${INDEX_FILE} (${(err as Error).message})`, {
      cause: err,
    });
  }
  return parseIndex(layoutPath, text);
}

export function parseIndex(layoutPath: string, text: string): ImageIndex {
  const fail = (reason: string): never => {
    throw new OciError('LAYOUT', `${layoutPath}: ${INDEX_FILE} ${reason}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(`is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('is not a JSON object');
  const index = value as Partial<ImageIndex>;
  if (index.schemaVersion !== 2) fail(`has schemaVersion ${JSON.stringify(index.schemaVersion)}, expected 2`);
  if (!Array.isArray(index.manifests)) return fail('has no "manifests" array');
  index.manifests.forEach((entry: Partial<Descriptor>, i) => {
    const problem = descriptorProblem(entry);
    if (problem) fail(`entry ${i} ${problem}`);
    const refName = entry.annotations?.[Annotation.refName];
    if (refName !== undefined && typeof refName !== 'string')
      fail(`entry ${i} (${entry.digest}) has a non-string ${Annotation.refName}`);
    shareTypes(entry as Descriptor);
  });
  return index as ImageIndex;
}

/**
 * The one string kept for each media type an index's entries name: each manifest read or copied brought its own copy
 * (about 56 bytes an entry; a backup of 10,000 signed tags holds 20,000 entries). A layout names a handful of types;
 * past MAX_SHARED_TYPES distinct ones (a hostile index), the rest stay as they came. They are kept for the life of the
 * process (the editor's, for days): only one of a media type's length at most (RFC 6838: 127 + "/" + 127), so that a
 * hostile index's long types go with it.
 */
const sharedTypes = new Map<string, string>();
const MAX_SHARED_TYPES = 256;
const MAX_SHARED_TYPE_LENGTH = 255;

export function sharedType(type: string): string {
  const shared = sharedTypes.get(type);
  if (shared !== undefined) return shared;
  if (sharedTypes.size < MAX_SHARED_TYPES && type.length <= MAX_SHARED_TYPE_LENGTH) sharedTypes.set(type, type);
  return type;
}

/** `entry`'s media type and artifact type made the shared strings, in place (a new entry, not yet frozen). */
export function shareTypes(entry: Descriptor): Descriptor {
  entry.mediaType = sharedType(entry.mediaType);
  if (typeof entry.artifactType === 'string') entry.artifactType = sharedType(entry.artifactType);
  return entry;
}

/** Checks the text of an oci-layout file: JSON with imageLayoutVersion 1.x (`where` names the layout). */
export function checkLayoutVersion(where: string, text: string): void {
  let version: unknown;
  try {
    version = (JSON.parse(text) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
  } catch {
    throw new OciError('LAYOUT', `${where}: ${LAYOUT_FILE} is not valid JSON`);
  }
  if (typeof version !== 'string' || !version.startsWith('1.')) {
    throw new OciError(
      'LAYOUT',
      `${where}: ${LAYOUT_FILE} has imageLayoutVersion ${JSON.stringify(version)}, expected 1.x`,
    );
  }
}

/**
 * The tag a ref.name annotation stands for: a plain tag ("v1") as is, a full reference
 * ("example.com/r:v1") by its tag. Undefined when the name carries no tag.
 */
export function tagOfRefName(refName: string): string | undefined {
  if (!refName.includes('/') && !refName.includes(':') && !refName.includes('@')) return refName;
  try {
    return parseRegistryReference(refName).tag;
  } catch {
    const colon = refName.lastIndexOf(':');
    const tail = colon >= 0 ? refName.slice(colon + 1) : '';
    return tail !== '' && !tail.includes('/') ? tail : undefined;
  }
}

export function tagOfEntry(entry: Descriptor): string | undefined {
  const refName = entry.annotations?.[Annotation.refName];
  return refName === undefined ? undefined : tagOfRefName(refName);
}

/** The entry a tag names: an exact plain-tag match first, else the last entry whose full reference has that tag. */
export function findTagged(index: ImageIndex, tag: string): Descriptor | undefined {
  const { manifests } = index;
  const exact = manifests.find((m) => m.annotations?.[Annotation.refName] === tag);
  if (exact) return exact;
  // From the end without a reversed copy: a tag not there yet (every tag a copy writes) looked through 20,000
  // entries of a large backup's index by copying them first.
  for (let i = manifests.length - 1; i >= 0; i--) if (tagOfEntry(manifests[i]!) === tag) return manifests[i];
  return undefined;
}

/** The entry a tag names (findTagged), or the first listing a digest; the index is only looked at. */
export function entryIn(index: ImageIndex, tagOrDigest: string): Descriptor | undefined {
  return isDigest(tagOrDigest) ? index.manifests.find((m) => m.digest === tagOrDigest) : findTagged(index, tagOrDigest);
}

/** The entry without its ref.name (a descriptor to hand to callers). */
export function withoutRefName(entry: Descriptor): Descriptor {
  const { annotations, ...rest } = entry;
  if (!annotations) return { ...rest };
  const { [Annotation.refName]: _dropped, ...others } = annotations;
  return Object.keys(others).length ? { ...rest, annotations: others } : { ...rest };
}
