// Hovers on JSON strings that are digests (what they resolve to in the document's layout) or media types
// (what they mean, and the well-known type a near-miss was probably meant to be). The strings come from the
// document or a layout blob, which anyone may have written: they enter the markdown only as `untrustedCode`.
// VS Code shows a diagnostic in the same hover: a digest hover leaves out what a Stowage diagnostic on that string
// says already (a malformed digest, a missing blob) and adds only the blob, its size and its media type; a media
// type hover under a "did you mean" diagnostic says what the suggested type is, without asking again.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { digestProblem, untrustedCode, untrustedMarkdown, formatBytes, type StoreRef } from '../../core/oci';
import {
  isLayoutFolder,
  isMediaType,
  suggestMediaType,
  MEDIA_TYPE_MEANINGS,
  mediaTypeParts,
  layoutFileOf,
} from '../../core/lint';
import { digestLinks } from '../documents/digestLinks';
import { documentRefFor, parseStowageUri, STOWAGE_SCHEME, stowageUri } from '../documents/stowageUri';
import { describeBlob } from './describeBlob';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { safeMarkdown } from '../safeMarkdown';
import type { DocumentLinter } from './DocumentLinter';

const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;
const DIGEST_SHAPE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export class LintHoverProvider implements vscode.HoverProvider {
  constructor(private readonly linter: DocumentLinter) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const found = stringAt(document.lineAt(position.line).text, position.character);
    if (!found) return undefined;
    const range = new vscode.Range(position.line, found.start, position.line, found.end);
    if (DIGEST_SHAPE.test(found.value) && found.value.includes(':')) {
      const hover = await this.digestHover(document, found.value, diagnosed(document, range));
      return hover && new vscode.Hover(hover, range);
    }
    if (found.value.includes('/') && isMediaType(found.value))
      return new vscode.Hover(mediaTypeHover(found.value, diagnosed(document, range)), range);
    return undefined;
  }

  /** `diagnosed`: a Stowage diagnostic on the string tells its problem; undefined when nothing is left to add. */
  private async digestHover(
    document: vscode.TextDocument,
    digest: string,
    diagnosed: boolean,
  ): Promise<vscode.MarkdownString | undefined> {
    const markdown = safeMarkdown({ themeIcons: true });
    const problem = digestProblem(digest);
    if (problem)
      return diagnosed
        ? undefined
        : markdown.appendMarkdown(`**Digest** ${untrustedCode(digest)} is not usable: ${untrustedMarkdown(problem)}.`);
    markdown.appendMarkdown(`**Digest** ${untrustedCode(digest)}`);
    if (document.uri.scheme === STOWAGE_SCHEME) return this.inStore(markdown, document, digest, diagnosed);
    const layout = document.uri.scheme === 'file' ? await layoutFileOf(document.uri.fsPath) : undefined;
    if (!layout) return markdown.appendMarkdown('\n\nNot in an image layout: there is no local blob to resolve it to.');
    // The link is Stowage's own: the blob file it resolved (a digest of checked shape names it).
    return this.inLayout(markdown, layout.root, digest, diagnosed, (file) => vscode.Uri.file(file));
  }

  /** A manifest opened from a store (Open Manifest): the digest resolves where its links go, in that store. */
  private async inStore(
    markdown: vscode.MarkdownString,
    document: vscode.TextDocument,
    digest: string,
    diagnosed: boolean,
  ): Promise<vscode.MarkdownString | undefined> {
    let store: StoreRef;
    try {
      store = parseStowageUri(document.uri).store;
    } catch {
      return markdown;
    }
    const declared = digestLinks(document.getText()).find((link) => link.descriptor.digest === digest)?.descriptor;
    const target = declared && stowageUri(documentRefFor(store, declared));
    if (store.kind === 'layout' && (await isLayoutFolder(store.path)))
      return this.inLayout(markdown, store.path, digest, diagnosed, () => target);
    const where =
      store.kind === 'layout'
        ? `layout ${untrustedCode(store.path)}`
        : `${untrustedCode(`${store.host}/${store.repository}`)}`;
    markdown.appendMarkdown(`\n\nIn ${where}${target ? '; Ctrl+click opens it from there' : ''}.`);
    if (declared)
      markdown.appendMarkdown(
        `\n\nDeclared here: ${untrustedCode(declared.mediaType)}${declared.size >= 0 ? `, ${declared.size} bytes (${formatBytes(declared.size)})` : ''}`,
      );
    return markdown;
  }

  /** What the digest resolves to in the layout folder `root`; `link` names where the hover's link goes. */
  private async inLayout(
    markdown: vscode.MarkdownString,
    root: string,
    digest: string,
    diagnosed: boolean,
    link: (file: string) => vscode.Uri | undefined,
  ): Promise<vscode.MarkdownString | undefined> {
    const blob = await describeBlob(this.linter.storeFor(root), digest);
    if (!blob && diagnosed) return undefined;
    if (!blob)
      return markdown.appendMarkdown(
        `\n\n$(error) Not in this layout (no ${untrustedCode(`blobs/${digest.replace(':', '/')}`)}).`,
      );
    const name = `blobs/${digest.replace(':', '/').slice(0, 24)}…`;
    const target = link(blob.file);
    markdown.appendMarkdown(
      `\n\n${target ? `[${name}](${target.toString()})` : name} in layout ${untrustedCode(path.basename(root))} — ${blob.size} bytes (${formatBytes(blob.size)})`,
    );
    if (blob.kind)
      markdown.appendMarkdown(
        `\n\n${blob.kind}${blob.mediaType ? `: ${untrustedCode(blob.mediaType)}` : ''}${blob.artifactType ? `, artifact type ${untrustedCode(blob.artifactType)}` : ''}`,
      );
    return markdown;
  }
}

/** `diagnosed`: a Stowage diagnostic on the string (a near-miss's "did you mean") is shown in the same hover. */
export function mediaTypeHover(mediaType: string, diagnosed = false): vscode.MarkdownString {
  const markdown = safeMarkdown().appendMarkdown(`**Media type** ${untrustedCode(mediaType)}\n\n`);
  const meaning = MEDIA_TYPE_MEANINGS[mediaType];
  if (meaning) return markdown.appendMarkdown(meaning);
  const suggestion = suggestMediaType(mediaType);
  if (suggestion)
    return markdown.appendMarkdown(
      diagnosed
        ? `${untrustedCode(suggestion)}: ${MEDIA_TYPE_MEANINGS[suggestion] ?? 'a well-known type.'}`
        : `Not a well-known type. Did you mean ${untrustedCode(suggestion)}? ${MEDIA_TYPE_MEANINGS[suggestion] ?? ''}`,
    );
  const parts = mediaTypeParts(mediaType);
  return markdown.appendMarkdown(
    parts
      ? `Type ${untrustedCode(parts.type)}, subtype ${untrustedCode(parts.subtype)}${parts.suffix ? `, structured as ${untrustedCode(parts.suffix)}` : ''}; not one Stowage knows by name.`
      : 'Not one Stowage knows by name.',
  );
}

/** Whether a Stowage diagnostic covers part of `range` (VS Code shows it in the same hover). */
function diagnosed(document: vscode.TextDocument, range: vscode.Range): boolean {
  return vscode.languages
    .getDiagnostics(document.uri)
    .some((d) => d.source === DIAGNOSTIC_SOURCE && d.range.intersection(range)?.isEmpty === false);
}

/** The JSON string literal around `character` on a line, without its quotes. */
function stringAt(line: string, character: number): { value: string; start: number; end: number } | undefined {
  for (const match of line.matchAll(JSON_STRING)) {
    const start = match.index;
    const end = start + match[0].length;
    if (character < start || character > end) continue;
    try {
      return { value: JSON.parse(match[0]) as string, start: start + 1, end: end - 1 };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
