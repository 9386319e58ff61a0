// VS Code's own proxy settings, as Stowage's requests use them: `http.proxy` (else the environment's
// HTTPS_PROXY/HTTP_PROXY, as VS Code does), `http.noProxy` on top of NO_PROXY, and `http.proxyStrictSSL`, which
// VS Code defines as checking the proxy server's certificate: it never turns off the registries' own TLS checks
// (a TLS-inspecting proxy's CA belongs in the system store or docker's certs.d, which Stowage trusts).
import * as vscode from 'vscode';
import { proxyFromEnvironment, type ProxySettings } from '../core/registry';

export function editorProxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<string>('proxy')?.trim();
  const fromEnv = proxyFromEnvironment(env);
  const noProxy = [fromEnv.noProxy, ...(http.get<string[]>('noProxy') ?? [])].filter(Boolean).join(',');
  return {
    httpProxy: proxy || fromEnv.httpProxy,
    httpsProxy: proxy || fromEnv.httpsProxy,
    noProxy: noProxy || undefined,
    proxyTlsVerify: http.get<boolean>('proxyStrictSSL') !== false,
    setIn: 'editor',
  };
}
