// Read-only `stowage:` documents: manifests pretty-printed (their digests are links to what they name), text blobs
// as text, binary or oversized blobs as a summary. Bytes come verified from the engine; nothing is executed.
import * as vscode from 'vscode';
import { toAbortSignal } from '../abort';
import { statusBarProgress } from '../progress';
import { untrustedText, formatBytes, printable, isManifestOrIndex, type Descriptor } from '../../core/oci';
import { hostPlatform, readSmallBlob, type ReadOnlyTarget, type Target } from '../../core/content';
import { fileListingLines, inspectArtifact, inspectionLines } from '../../core/supplyChain';
import { isBrowsableLayer, LayerFileCache } from '../../core/files';
import { mediaTypeLabel } from '../tree/labels';
import { Disposable } from '../lifecycle';
import type { Stores } from '../stores';
import { digestLinks } from './digestLinks';
import { artifactName } from './stowageDocumentRef';
import { documentRefFor, parseStowageUri, stowageUri, type StowageDocumentRef } from './stowageUri';

/** Blobs larger than this are summarised rather than shown. */
const MAX_TEXT_BLOB_BYTES = 4 * 1024 * 1024;

const TAR_HINT = 'a tar archive: expand the layer in the Stowage tree to see its files, or open one of them';

export class StowageDocuments
  extends Disposable
  implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider
{
  // Registered for the `stowage` scheme by the extension's light part (workbenchShell.ts), which loads this on
  // the first document.
  /** Files opened from inside layers: opening one again reads no layer again. */
  private readonly layerFiles = new LayerFileCache();

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
    if (ref.kind === 'layerFile') return layerFileText(this.layerFiles, ref, target, signal);
    if (ref.kind === 'inspection') return inspectionText(target, ref.descriptor, signal);
    if (ref.kind === 'files')
      // Every layer is read before the document shows, however it was opened (Compare Files, a link, a tab
      // restored): the status bar says so.
      return statusBarProgress(
        `Reading the layers of ${artifactName(ref.store, ref.tag, ref.descriptor.digest)}`,
        async () =>
          printableLines(await fileListingLines(target, ref.descriptor, { preferred: hostPlatform(), signal })),
      );
    const browsable = isBrowsableLayer(ref.descriptor);
    if (ref.descriptor.size > MAX_TEXT_BLOB_BYTES)
      return blobSummary(ref, browsable ? TAR_HINT : `larger than ${formatBytes(MAX_TEXT_BLOB_BYTES)}; not shown`);
    const bytes = await readSmallBlob(target, ref.descriptor, signal, MAX_TEXT_BLOB_BYTES);
    const text = asText(bytes);
    if (text === undefined) return blobSummary(ref, browsable ? TAR_HINT : 'binary content; not shown');
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

/**
 * What `stowage inspect` says of a manifest or index (an index through this machine's platform, as the CLI reads
 * it), every line made printable: the store's strings reach the editor with their control and bidi characters shown.
 */
async function inspectionText(target: Target, descriptor: Descriptor, signal: AbortSignal): Promise<string> {
  const inspection = await inspectArtifact(target, descriptor.digest, { preferred: hostPlatform(), signal });
  return printableLines(inspectionLines(inspection));
}

/** Lines of the store's strings as a document: control and bidi characters shown, never applied. */
function printableLines(lines: readonly string[]): string {
  return `${lines.map(printable).join('\n')}\n`;
}

/** A file inside a tar layer as text, or a summary of what it is when it is no text file to show. */
async function layerFileText(
  layerFiles: LayerFileCache,
  ref: StowageDocumentRef,
  target: ReadOnlyTarget,
  signal: AbortSignal,
): Promise<string> {
  const found = await layerFiles.read(target, ref.descriptor, ref.entry!, {
    signal,
    maxFileBytes: MAX_TEXT_BLOB_BYTES,
  });
  const { entry } = found;
  if (found.kind === 'file') {
    const text = asText(found.bytes);
    return text ?? layerFileSummary(ref, `binary content, ${formatBytes(found.bytes.length)}; not shown`);
  }
  // A hard link's size is its file's: the link's own entry says 0.
  if (found.kind === 'too large')
    return layerFileSummary(
      ref,
      `${formatBytes(found.size)}, larger than ${formatBytes(MAX_TEXT_BLOB_BYTES)}; not shown`,
    );
  const what =
    entry.type === 'symlink'
      ? `a symbolic link to ${entry.linkname ?? '(nothing)'}`
      : entry.type === 'directory'
        ? 'a folder'
        : entry.type === 'hardlink' && found.deletedBy !== undefined
          ? `a hard link to ${entry.linkname ?? '(nothing)'}, which this layer deletes (${found.deletedBy} is a whiteout: no file to link to)`
          : entry.type === 'hardlink'
            ? `a hard link to ${entry.linkname ?? '(nothing)'}, which is no file in this layer`
            : 'a special file (device, FIFO or the like)';
  return layerFileSummary(ref, `${what}; no content to show`);
}

function layerFileSummary(ref: StowageDocumentRef, why: string): string {
  const d = ref.descriptor;
  return [
    `File /${printable(ref.entry ?? '')}`,
    `In layer ${d.digest} (${d.mediaType}, ${formatBytes(d.size)})`,
    `Store: ${storeText(ref)}`,
    '',
    `(${printable(why)})`,
    '',
  ].join('\n');
}

function storeText(ref: StowageDocumentRef): string {
  return ref.store.kind === 'registry' ? `${ref.store.host}/${ref.store.repository}` : `oci:${ref.store.path}`;
}

function blobSummary(ref: StowageDocumentRef, why: string): string {
  const d = ref.descriptor;
  const where = storeText(ref);
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
