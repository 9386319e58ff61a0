// The graph webview's page: a strict CSP (nothing remote, no inline code, scripts and styles only with this
// page's nonce or from the extension's own folders) and nothing else; the bundle builds the DOM.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function graphCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'`;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function graphHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = newNonce()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'graph.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${graphCsp(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" nonce="${nonce}">
<title>Referrer Graph</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
