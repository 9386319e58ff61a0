// `stowage:` URIs name a manifest or blob in a store: read-only documents the editor opens, links point to, and
// the linter checks. The store travels in the query; the path ends like a file so the language is guessed.
import * as vscode from 'vscode';
import { isManifestOrIndex, type Descriptor, type StoreRef } from '../../core/oci';
import { parseStowageDocument, type StowageDocumentRef } from './stowageDocumentRef';

export type { StowageDocumentRef };

export const STOWAGE_SCHEME = 'stowage';

export function stowageUri(ref: StowageDocumentRef): vscode.Uri {
  const { descriptor } = ref;
  const query = new URLSearchParams({
    store: JSON.stringify(ref.store),
    mediaType: descriptor.mediaType,
    size: String(descriptor.size),
  });
  const title = descriptor.annotations?.['org.opencontainers.image.title'];
  const name =
    ref.kind === 'manifest'
      ? 'manifest.json'
      : (safeFileName(title) ?? (descriptor.mediaType.endsWith('json') ? 'blob.json' : 'blob'));
  return vscode.Uri.from({
    scheme: STOWAGE_SCHEME,
    path: `/${ref.kind}/${descriptor.digest}/${name}`,
    query: query.toString(),
  });
}

export function documentRefFor(store: StoreRef, descriptor: Descriptor): StowageDocumentRef {
  return { kind: isManifestOrIndex(descriptor.mediaType) ? 'manifest' : 'blob', store, descriptor };
}

/** The document a `stowage:` URI names; throws a clear error when any part of it is malformed. */
export function parseStowageUri(uri: vscode.Uri): StowageDocumentRef {
  return parseStowageDocument(uri.path, uri.query, uri.toString());
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
  return base && base !== '.' && base !== '..' ? base : undefined;
}
