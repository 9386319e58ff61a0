// `stowage:` URIs name a manifest or blob in a store: read-only documents the editor opens, links point to, and
// the linter checks. The store travels in the query; the path says where and what for people, and ends like a
// file so the language is guessed (stowageDocumentRef.ts builds and checks both).
import * as vscode from 'vscode';
import { isManifestOrIndex, type Descriptor, type StoreRef } from '../../core/oci';
import { parseStowageDocument, stowageDocumentPath, type StowageDocumentRef } from './stowageDocumentRef';

export type { StowageDocumentRef };

export const STOWAGE_SCHEME = 'stowage';

export function stowageUri(ref: StowageDocumentRef): vscode.Uri {
  return vscode.Uri.from({ scheme: STOWAGE_SCHEME, ...stowageDocumentPath(ref) });
}

export function documentRefFor(store: StoreRef, descriptor: Descriptor): StowageDocumentRef {
  return { kind: isManifestOrIndex(descriptor.mediaType) ? 'manifest' : 'blob', store, descriptor };
}

/** The document a `stowage:` URI names; throws a clear error when any part of it is malformed. */
export function parseStowageUri(uri: vscode.Uri): StowageDocumentRef {
  return parseStowageDocument(uri.path, uri.query, uri.toString());
}
