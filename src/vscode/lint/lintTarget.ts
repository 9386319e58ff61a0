// Which documents the linter looks at, and what it tells the linter about them. Files in an image layout are
// linted with their layout name and checked against its blobs; `stowage:` documents (manifests opened from a
// registry or layout) are linted by content; any other JSON only once its content shows it is an OCI document.
import * as vscode from 'vscode';
import { type LintContext, layoutFileOf, lintFileName, type LayoutFile } from '../../core/lint';
import { STOWAGE_SCHEME } from '../documents/stowageUri';

export interface LintTarget {
  context: LintContext;
  /** Set for a layout's own files: their referenced blobs are checked against it. */
  layout?: LayoutFile;
  /** Whether the document is linted only if its content is recognised (plain JSON files anywhere). */
  byContentOnly: boolean;
}

const JSON_LANGUAGES = new Set(['json', 'jsonc']);

export async function lintTargetOf(document: vscode.TextDocument): Promise<LintTarget | undefined> {
  if (document.uri.scheme === STOWAGE_SCHEME)
    return looksLikeJson(document) ? { context: {}, byContentOnly: false } : undefined;
  if (document.uri.scheme !== 'file') return undefined;
  const layout = await layoutFileOf(document.uri.fsPath);
  // Blobs are any bytes; only the JSON ones are documents.
  // A draft beside index.json is any JSON file: linted once its content shows it is an OCI document.
  if (layout?.role === 'draft') return { context: {}, layout, byContentOnly: true };
  if (layout && (layout.role !== 'blob' || looksLikeJson(document)))
    return { context: { fileName: lintFileName(layout) }, layout, byContentOnly: false };
  if (JSON_LANGUAGES.has(document.languageId)) return { context: {}, byContentOnly: true };
  return undefined;
}

function looksLikeJson(document: vscode.TextDocument): boolean {
  const start = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 50), 0)).trimStart();
  return start.startsWith('{');
}
