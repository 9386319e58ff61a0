// The editor decodes files itself and turns invalid UTF-8 into U+FFFD without a word. When a saved file's text
// has U+FFFD, its bytes are read again so the linter can say where the invalid bytes are (a rare, cheap path).
import * as vscode from 'vscode';
import { decodeDocument, type DecodedDocument } from '../../core/lint';

export async function decodedFromDisk(
  document: vscode.TextDocument,
  text: string,
): Promise<DecodedDocument | undefined> {
  if (document.uri.scheme !== 'file' || document.isDirty || !text.includes('\uFFFD')) return undefined;
  const decoded = decodeDocument(await vscode.workspace.fs.readFile(document.uri));
  // Offsets hold only if the editor shows exactly what the bytes decode to (not so with another encoding set).
  return decoded.text === text ? decoded : undefined;
}
