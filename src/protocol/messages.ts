// Typed messages between the extension and the webview. Every request carries an id; the webview starts
// with `ready` and the extension answers only after it.

export interface ReadyMessage {
  type: 'ready';
}

export type WebviewToExtension = ReadyMessage;

export interface InitMessage {
  type: 'init';
  title: string;
}

export type ExtensionToWebview = InitMessage;
