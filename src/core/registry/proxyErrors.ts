// A request that went through a forward proxy and failed there is the proxy's failure, not the registry's: without
// this, a proxy that is down read "cannot reach registry.example.com (ECONNREFUSED): is the registry running?", and
// a proxy that wants credentials read "cannot reach registry.example.com (UND_ERR_ABORTED)".
import { NetworkError } from '../oci';
import type { ProxySettings } from './dispatchers';
import { isLoopbackHost } from './plainHttpCredentials';
import { proxySettingWords } from './proxySetting';

/** The proxy a request to `protocol` goes through when NO_PROXY does not exempt it (as dispatchers.ts picks it). */
export function proxyUrlFor(proxy: ProxySettings, protocol: string): string | undefined {
  return (protocol === 'https:' ? proxy.httpsProxy || proxy.httpProxy : proxy.httpProxy) || undefined;
}

/**
 * The error for a failure of the proxy on the way to `host`, or undefined when the failure is not the proxy's.
 * undici's tunnel refusal ("Proxy response (407) !== 200") is the proxy's answer; a connection error is the proxy's
 * when it names the proxy's address (a proxied request never connects to the registry itself).
 */
export function proxyFailure(
  host: string,
  err: unknown,
  proxy: ProxySettings,
  protocol: string,
): NetworkError | undefined {
  const proxyUrl = proxyUrlFor(proxy, protocol);
  if (!proxyUrl || isLoopbackHost(host)) return undefined;
  let url: URL;
  try {
    url = new URL(proxyUrl.includes('://') ? proxyUrl : `http://${proxyUrl}`);
  } catch {
    return undefined;
  }
  const shown = `${url.protocol}//${url.host}`;
  const setting = proxySettingWords(proxy);
  const { code, message, address, port, hostname } = (err ?? {}) as NodeJS.ErrnoException & {
    address?: string;
    port?: number;
    hostname?: string;
  };
  const refused = /^Proxy response \((\d{3})\)/.exec(String(message ?? ''));
  if (refused) {
    const status = Number(refused[1]);
    if (status === 407)
      return new NetworkError(
        host,
        url.username
          ? `the proxy ${shown} refused the credentials in its URL (407) on the way to ${host}; correct them in ${setting}`
          : `the proxy ${shown} asks for credentials (407) on the way to ${host}; put them in its URL, as <user>:<password>@${url.host}, in ${setting}`,
        { cause: err },
      );
    return new NetworkError(
      host,
      `the proxy ${shown} would not connect to ${host} (it answered ${status}): it cannot reach that host or does not allow it; add ${host.replace(/:\d+$/, '')} to NO_PROXY if it is reached directly`,
      { cause: err },
    );
  }
  const proxyPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const proxyHost = url.hostname.replace(/^\[|\]$/g, '');
  // A proxy named by a host name connects to an address we cannot compare: its port tells, unless the registry
  // (reached directly through NO_PROXY) listens on the same port.
  const registryPort = Number(/:(\d+)$/.exec(host)?.[1] ?? (protocol === 'https:' ? 443 : 80));
  const atProxy =
    (hostname !== undefined && hostname === proxyHost) ||
    (address !== undefined && port === proxyPort && (address === proxyHost || registryPort !== proxyPort));
  if (!atProxy || typeof code !== 'string') return undefined;
  return new NetworkError(
    host,
    `cannot reach the proxy ${shown} on the way to ${host} (${code}); check ${setting}, or add ${host.replace(/:\d+$/, '')} to NO_PROXY to go direct`,
    { cause: err },
  );
}
