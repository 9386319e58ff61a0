// Builds the address that opens a folder in code-server's workbench. The payload (extension development path,
// extension tests path) is only honoured with `--vscode-option enable-smoke-test-driver`, and its paths must be
// vscode-remote URIs naming the server.
export interface WorkbenchTarget {
  folder: string;
  extensionDevelopmentPath?: string;
  /** Path of the suite's index module, without `.js`. */
  extensionTestsPath?: string;
}

export function remoteUri(host: string, absolutePath: string): string {
  return `vscode-remote://${host}${absolutePath}`;
}

export function workbenchUrl(baseUrl: string, target: WorkbenchTarget): string {
  const url = new URL(baseUrl);
  const payload: [string, string][] = [];
  if (target.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remoteUri(url.host, target.extensionDevelopmentPath)]);
  }
  if (target.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(url.host, target.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = `folder=${encodeURIComponent(target.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `${url.origin}/?${query}`;
}
