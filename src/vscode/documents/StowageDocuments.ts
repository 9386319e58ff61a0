// Read-only `stowage:` documents: manifests pretty-printed (their digests are links to what they name), text blobs
// as text, binary or oversized blobs as a summary. Bytes come verified from the engine; nothing is executed.
import * as vscode from 'vscode';
import { toAbortSignal } from '../abort';
import { untrustedText, formatBytes, isManifestOrIndex, type Descriptor } from '../../core/oci';
import { readSmallBlob } from '../../core/content';
import { mediaTypeLabel } from '../tree/labels';
import { Disposable } from '../lifecycle';
import type { Stores } from '../stores';
import { digestLinks } from './digestLinks';
import { documentRefFor, parseStowageUri, stowageUri, type StowageDocumentRef } from './stowageUri';

/** Blobs larger than this are summarised rather than shown. */
const MAX_TEXT_BLOB_BYTES = 4 * 1024 * 1024;

export class StowageDocuments
  extends Disposable
  implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider
{
  // Registered for the `stowage` scheme by the extension's light part (workbenchShell.ts), which loads this on
  // the first document.
  constructor(private readonly stores: Stores) {
    super();
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = parseStowageUri(uri);
    const signal = toAbortSignal(token);
    const target = await this.stores.target(ref.store);
    if (ref.kind === 'manifest') {
      const { bytes } = await target.fetchManifest(ref.descriptor, { signal });
      const text = asText(bytes);
      // A manifest must be UTF-8 JSON: anything else is described, never shown with replacement characters.
      return text === undefined ? blobSummary(ref, 'not valid UTF-8 text; not shown') : prettyJson(text);
    }
    if (ref.descriptor.size > MAX_TEXT_BLOB_BYTES)
      return blobSummary(ref, `larger than ${formatBytes(MAX_TEXT_BLOB_BYTES)}; not shown`);
    const bytes = await readSmallBlob(target, ref.descriptor, signal, MAX_TEXT_BLOB_BYTES);
    const text = asText(bytes);
    if (text === undefined) return blobSummary(ref, 'binary content; not shown');
    return ref.descriptor.mediaType.endsWith('json') ? prettyJson(text) : text;
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    let ref: StowageDocumentRef;
    try {
      ref = parseStowageUri(document.uri);
    } catch {
      return [];
    }
    if (ref.kind !== 'manifest') return [];
    return digestLinks(document.getText()).map((link) => {
      const range = new vscode.Range(document.positionAt(link.offset), document.positionAt(link.offset + link.length));
      const target = stowageUri(documentRefFor(ref.store, link.descriptor));
      const item = new vscode.DocumentLink(range, target);
      item.tooltip = untrustedText(linkTooltip(link.descriptor));
      return item;
    });
  }
}

export async function openStowageDocument(ref: StowageDocumentRef): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(stowageUri(ref));
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
}

/**
 * "Open README.txt (text/plain blob)", "Open empty blob", "Open OCI manifest": what the link opens, by its file name
 * where it has one ("Open empty" and "Open text/plain" read as unfinished).
 */
function linkTooltip(descriptor: Descriptor): string {
  const type = mediaTypeLabel(descriptor.mediaType);
  if (isManifestOrIndex(descriptor.mediaType)) return `Open ${type}`;
  const title = descriptor.annotations?.['org.opencontainers.image.title'];
  return title ? `Open ${title} (${type} blob)` : `Open ${type} blob`;
}

function prettyJson(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}

/** UTF-8 text without NUL bytes, or undefined for anything that looks binary. */
function asText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function blobSummary(ref: StowageDocumentRef, why: string): string {
  const d = ref.descriptor;
  const where = ref.store.kind === 'registry' ? `${ref.store.host}/${ref.store.repository}` : `oci:${ref.store.path}`;
  return [
    `${ref.kind === 'manifest' ? 'Manifest' : 'Blob'} ${d.digest}`,
    `Media type: ${d.mediaType}`,
    `Size: ${formatBytes(d.size)} (${d.size} bytes)`,
    `Store: ${where}`,
    '',
    `(${why})`,
    '',
  ].join('\n');
}
