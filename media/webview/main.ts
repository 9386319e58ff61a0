// Webview entry: announces itself and renders what the extension sends, always as text.
import type { ExtensionToWebview, WebviewToExtension } from '../../src/protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  if (message.type === 'init') {
    const heading = document.createElement('h1');
    heading.textContent = message.title;
    document.body.replaceChildren(heading);
  }
});

vscode.postMessage({ type: 'ready' });
