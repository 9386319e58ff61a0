// What a `stowage:` URI names, read back from its path and query. Anything can open such a URI (a link in a
// document, another extension), so every part is checked here before a store is opened: a well-formed registry
// host and repository or an absolute layout path, a digest of checked shape, a media type and a size. Free of the
// editor API (unit-tested).
import * as path from 'node:path';
import {
  type Descriptor,
  digestProblem,
  printable,
  hostProblem,
  repositoryProblem,
  type StoreRef,
} from '../../core/oci';

export interface StowageDocumentRef {
  kind: 'manifest' | 'blob';
  store: StoreRef;
  descriptor: Descriptor;
}

/** Longest media type accepted (RFC 6838 allows 127 + 1 + 127; parameters are not part of a descriptor's). */
const MAX_MEDIA_TYPE_LENGTH = 255;

/** The document a `stowage:` URI's path and query name; throws an error naming the part at fault. */
export function parseStowageDocument(uriPath: string, uriQuery: string, shown: string): StowageDocumentRef {
  const fail = (reason: string): never => {
    throw new Error(`not a Stowage document (${printable(shown)}): ${printable(reason)}`);
  };
  const [, kind, digest] = uriPath.split('/');
  if (kind !== 'manifest' && kind !== 'blob') return fail('the path starts with neither /manifest/ nor /blob/');
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
  return { kind, store, descriptor: { digest: digest!, mediaType, size } };
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
