// What a `stowage:` URI names, written into and read back from its path and query. The query is what is read
// (store, media type, size, tag); the path says the same for people: the editor shows its last segment as the tab
// ("app:v1 manifest.json") and the whole path on hover ("/manifest/registry.example/team/app/sha256:…/…"). Anything
// can open such a URI (a link in a document, another extension), so every part is checked here before a store is
// opened: a well-formed registry host and repository or an absolute layout path, a digest of checked shape, a media
// type, a size and a tag; and a path that says something else than the query is refused, so a tab cannot claim a
// registry it does not read from. Free of the editor API (unit-tested).
import * as path from 'node:path';
import {
  Annotation,
  type Descriptor,
  digestProblem,
  printable,
  hostProblem,
  isIndexType,
  isTag,
  repositoryProblem,
  shortDigest,
  type StoreRef,
  tagProblem,
} from '../../core/oci';

export interface StowageDocumentRef {
  /**
   * A manifest, a blob, one file inside a tar layer (the descriptor is then the layer's), or what `stowage inspect`
   * says of a manifest or index (the descriptor is then its; Compare With… shows two side by side), or the files
   * its layers make (Compare Files).
   */
  kind: 'manifest' | 'blob' | 'layerFile' | 'inspection' | 'files';
  store: StoreRef;
  descriptor: Descriptor;
  /** The tag a manifest was opened by: it names the tab (the digest is what is read). */
  tag?: string;
  /** For a layer's file: its path inside the layer ("etc/os-release"). */
  entry?: string;
}

/** The name a manifest had before names said what it is: a path of that old form still opens (restored tabs). */
const OLD_MANIFEST_NAME = 'manifest.json';

/**
 * The path and query of the URI for `ref`: `/<kind>/<where>/<digest>/<name>`, where is the registry host and
 * repository or "oci:" and the layout's path, and the name says what the document is and ends like a file of its
 * type (".json" for manifests, so JSON language features apply).
 */
export function stowageDocumentPath(ref: StowageDocumentRef): { path: string; query: string } {
  const { descriptor } = ref;
  const tag = namingTag(ref.tag);
  const query = new URLSearchParams({
    store: JSON.stringify(ref.store),
    mediaType: descriptor.mediaType,
    size: String(descriptor.size),
    ...(tag !== undefined ? { tag } : {}),
    ...(ref.entry !== undefined ? { entry: ref.entry } : {}),
    // A layer of a plain file type is known for a tar by its title (`.tgz`): a layer file's reference keeps it.
    ...(ref.entry !== undefined && layerTitle(descriptor) !== undefined ? { title: layerTitle(descriptor)! } : {}),
    // An ORAS folder is titled too: its unpack mark says it is a tar whatever its title.
    ...(ref.entry !== undefined && descriptor.annotations?.[UNPACK] === 'true' ? { unpack: 'true' } : {}),
  });
  const segments = [ref.kind, ...locationSegments(ref.store), descriptor.digest, fileName(ref)];
  return { path: `/${segments.join('/')}`, query: query.toString() };
}

/** Where the document is, one path segment per part: host and repository, or "oci:" and the layout's folders. */
function locationSegments(store: StoreRef): string[] {
  if (store.kind === 'registry') return [store.host, ...store.repository.split('/')];
  const folders = store.path.split(/[\\/]/).filter(Boolean).map(shownSegment);
  return [store.archive ? 'oci-archive:' : 'oci:', ...folders];
}

/**
 * "app:v1 manifest.json", "app@0123456789ab index.json" (no tag); a blob by its title, else by its digest as an
 * untagged manifest is, "app@0123456789ab blob(.json)" (a signature or config opened beside others tells apart).
 */
function fileName(ref: StowageDocumentRef): string {
  const { descriptor } = ref;
  const name = ref.store.kind === 'registry' ? ref.store.repository.split('/').pop()! : storeBaseName(ref.store.path);
  if (ref.kind === 'layerFile') return entryFileName(ref.entry ?? '');
  if (ref.kind === 'blob')
    return (
      safeFileName(descriptor.annotations?.['org.opencontainers.image.title']) ??
      `${name}@${shortDigest(descriptor.digest)} blob${descriptor.mediaType.endsWith('json') ? '.json' : ''}`
    );
  const artifact = artifactName(ref.store, ref.tag, descriptor.digest);
  if (ref.kind === 'inspection') return `${artifact} inspection.txt`;
  if (ref.kind === 'files') return `${artifact} files.txt`;
  return `${artifact} ${isIndexType(descriptor.mediaType) ? 'index' : 'manifest'}.json`;
}

/** "app:v1", "app@0123456789ab" (no tag): the repository's or layout folder's last name and how it was named. */
export function artifactName(store: StoreRef, tag: string | undefined, digest: string): string {
  const name = store.kind === 'registry' ? store.repository.split('/').pop()! : storeBaseName(store.path);
  const named = namingTag(tag);
  return `${name}${named !== undefined ? `:${named}` : `@${shortDigest(digest)}`}`;
}

/**
 * The tag a document is named by, only when it is one a registry accepts: a layout's ref.name may be any text
 * (bidi controls, spaces), which would reach the tab and diff titles as it is and which the query check refuses
 * (the document would not open). Such a document is named by its digest, which is what is read anyway.
 */
function namingTag(tag: string | undefined): string | undefined {
  return tag !== undefined && isTag(tag) ? tag : undefined;
}

/** A layer file's tab: its own name, made harmless as a title is ("…" when nothing usable is left). */
function entryFileName(entry: string): string {
  return safeFileName(entry) ?? '…';
}

function storeBaseName(storePath: string): string {
  return shownSegment(storePath.split(/[\\/]/).filter(Boolean).pop() ?? 'layout');
}

/**
 * A folder name (or title) of a layout, shown as one path segment: control, bidi and zero-width characters made
 * visible (`printable`), and "." or ".." (which a path would resolve) replaced.
 */
function shownSegment(name: string): string {
  const shown = printable(name);
  return shown === '.' || shown === '..' ? '…' : shown;
}

/** A title from a registry made into one harmless path segment (or undefined when nothing usable is left). */
function safeFileName(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const base = title
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex -- control characters are what is being removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .slice(0, 100);
  return base && base !== '.' && base !== '..' ? printable(base) : undefined;
}

/** Longest entry path or layer title accepted (Linux's PATH_MAX). */
const MAX_ENTRY_PATH_LENGTH = 4096;

const TITLE = 'org.opencontainers.image.title';
const UNPACK = Annotation.orasUnpack;

function layerTitle(descriptor: Descriptor): string | undefined {
  return descriptor.annotations?.[TITLE];
}

function usableEntryText(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- text with control characters is refused
  return text.length <= MAX_ENTRY_PATH_LENGTH && !/[\u0000-\u001f]/.test(text);
}

/** Longest media type accepted (RFC 6838 allows 127 + 1 + 127; parameters are not part of a descriptor's). */
const MAX_MEDIA_TYPE_LENGTH = 255;

const DOCUMENT_KINDS: readonly StowageDocumentRef['kind'][] = ['manifest', 'blob', 'layerFile', 'inspection', 'files'];

/** The document a `stowage:` URI's path and query name; throws an error naming the part at fault. */
export function parseStowageDocument(uriPath: string, uriQuery: string, shown: string): StowageDocumentRef {
  const fail = (reason: string): never => {
    throw new Error(`not a Stowage document (${printable(shown)}): ${printable(reason)}`);
  };
  const segments = uriPath.split('/');
  const kind = segments[1];
  if (!DOCUMENT_KINDS.includes(kind as StowageDocumentRef['kind']))
    return fail('the path starts with none of /manifest/, /blob/, /layerFile/, /inspection/ and /files/');
  // The digest comes before the name: `/<kind>/<digest>/<name>` (the old form) or `/<kind>/<where>/<digest>/<name>`.
  const digest = segments.length >= 4 ? segments[segments.length - 2] : segments[2];
  const badDigest = digest ? digestProblem(digest) : 'the path names no digest';
  if (badDigest) return fail(badDigest);
  const query = new URLSearchParams(uriQuery);
  const store = storeOf(query.get('store'), fail);
  const mediaType = query.get('mediaType') ?? '';
  if (mediaType.length > MAX_MEDIA_TYPE_LENGTH || !/^[\x21-\x7e]*$/.test(mediaType))
    return fail('the media type is not printable ASCII of at most 255 characters');
  const sizeText = query.get('size');
  const size = sizeText === null || sizeText === '' ? -1 : Number(sizeText);
  if (!Number.isSafeInteger(size) || size < -1) return fail(`the size "${sizeText}" is not a whole number of bytes`);
  const tag = query.get('tag');
  const badTag = tag === null ? undefined : tagProblem(tag);
  if (badTag) return fail(badTag);
  const entry = query.get('entry');
  if ((kind === 'layerFile') !== (entry !== null)) return fail('only a layer file names an entry, and it must');
  if (entry !== null && (entry === '' || !usableEntryText(entry)))
    return fail('the entry is no path of at most 4096 characters without control characters');
  const title = query.get('title');
  if (title !== null && (entry === null || !usableEntryText(title)))
    return fail('only a layer file names a title, of at most 4096 characters without control characters');
  const unpack = query.get('unpack');
  if (unpack !== null && (entry === null || unpack !== 'true'))
    return fail('only a layer file is marked unpacked, with "true"');
  const ref: StowageDocumentRef = {
    kind: kind as StowageDocumentRef['kind'],
    store,
    descriptor: { digest: digest!, mediaType, size },
  };
  if (tag !== null) ref.tag = tag;
  if (entry !== null) ref.entry = entry;
  if (title !== null) ref.descriptor.annotations = { [TITLE]: title };
  if (unpack !== null) ref.descriptor.annotations = { ...ref.descriptor.annotations, [UNPACK]: unpack };
  if (!pathAgrees(segments, ref)) return fail('the path names another store, tag or digest than the query');
  return ref;
}

/**
 * Whether the path says what the query does. A blob's name is its title, which the query does not carry; the old
 * form (no location) is read as before, a manifest's only with the one name it had then.
 */
function pathAgrees(segments: string[], ref: StowageDocumentRef): boolean {
  const name = segments[segments.length - 1];
  if (segments.length <= 4)
    return ref.kind === 'blob' || (ref.kind === 'manifest' && name === OLD_MANIFEST_NAME && ref.tag === undefined);
  const expected = stowageDocumentPath(ref).path.split('/');
  const compared = ref.kind === 'blob' ? -1 : undefined;
  // A layer file's name is the entry's, which the query carries: the whole path must agree.
  return (
    segments.length === expected.length &&
    segments.slice(0, compared).join('/') === expected.slice(0, compared).join('/')
  );
}

function storeOf(text: string | null, fail: (reason: string) => never): StoreRef {
  let value: unknown;
  try {
    value = JSON.parse(text ?? 'null');
  } catch {
    return fail('the store is not JSON');
  }
  const store = value as Partial<Record<'kind' | 'host' | 'repository' | 'path' | 'archive', unknown>> | null;
  if (store?.kind === 'registry') {
    if (typeof store.host !== 'string' || typeof store.repository !== 'string')
      return fail('the registry store needs a host and a repository');
    const problem = hostProblem(store.host) ?? repositoryProblem(store.repository);
    return problem ? fail(problem) : { kind: 'registry', host: store.host, repository: store.repository };
  }
  if (store?.kind === 'layout') {
    // eslint-disable-next-line no-control-regex -- a path with control characters is refused
    if (typeof store.path !== 'string' || !path.isAbsolute(store.path) || /[\u0000-\u001f]/.test(store.path))
      return fail('the layout store needs an absolute path without control characters');
    // A layout archive (a .tar) is opened as one; the editor opens archives read-only.
    return store.archive === true
      ? { kind: 'layout', path: store.path, archive: true }
      : { kind: 'layout', path: store.path };
  }
  return fail('no registry or layout store in the query');
}
