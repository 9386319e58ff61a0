// Connection pools: one for the registry's own origin with its TLS settings, one for the other origins it sends
// us to (token realms, blob storage behind redirects). Both trust the same extra CAs (trustStore.ts) — private
// registries often run their token service and storage under the same private CA — but skipping verification
// and the client certificate are for the registry's own origin only. Both go through the HTTP(S) proxy the
// environment or the editor names, except for loopback and the NO_PROXY hosts. The trust is read on the first
// TLS connection, not before: parsing the system CA bundle costs ~10 ms of every start-up, wasted on a
// plain-HTTP registry.
import type * as tls from 'node:tls';
import type { Dispatcher, buildConnector as BuildConnector } from 'undici';
import { OciError } from '../oci';
import { Agent, EnvHttpProxyAgent, buildConnector } from './undiciAgent';
import { isLoopbackHost } from './plainHttpCredentials';
import type { RegistryConfig } from './registryConfig';
import { redactSecrets } from './redact';
import { overrideFor, type ResolveOverride } from './resolveOverrides';
import { registryTls, type ClientCertificateFiles, type RegistryTls, type TrustOptions } from './trustStore';
import { proxySettingWords } from './proxySetting';

const POOL = { connections: 8, keepAliveTimeout: 10_000, pipelining: 1 } as const;

/**
 * How long a connection may stay silent (no response headers, or no body bytes) before the request fails as
 * stalled. undici waits 5 minutes by default; a registry that says nothing for a minute is not coming back,
 * and a stalled blob download resumes with a Range request anyway.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/** A forward proxy for HTTP and HTTPS origins (CONNECT tunnels), as HTTP_PROXY/HTTPS_PROXY/NO_PROXY say. */
export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  /** Hosts (with optional port, or a domain suffix) reached directly; comma- or space-separated. */
  noProxy?: string;
  /** Verify the certificate of a proxy reached over HTTPS (default true; the registry's own TLS is not affected). */
  proxyTlsVerify?: boolean;
  /** Where the user set it, which errors name (proxySettingWords): the environment (the default) or the editor. */
  setIn?: 'environment' | 'editor';
}

/** Loopback never goes through a proxy: a proxy elsewhere cannot reach this machine's registries. */
const LOOPBACK_NO_PROXY = ['localhost', '127.0.0.1', '[::1]', '::1'];

export interface DispatcherOptions extends TrustOptions {
  stallTimeoutMs?: number;
  /** Default: from the environment (proxyFromEnvironment). */
  proxy?: ProxySettings;
  /** `--resolve`: addresses to connect to instead of DNS's, for direct connections (a proxy resolves itself). */
  resolve?: readonly ResolveOverride[];
}

/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, in either case, as curl, docker and ORAS read them. */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  return {
    httpProxy: env.http_proxy || env.HTTP_PROXY || undefined,
    httpsProxy: env.https_proxy || env.HTTPS_PROXY || undefined,
    noProxy: env.no_proxy ?? env.NO_PROXY,
    setIn: 'environment',
  };
}

/**
 * The proxy settings as undici takes them: a proxy written without a scheme ("proxy.corp:3128", which curl and Go
 * read as http://) gets "http://"; one that is no URL at all fails here, naming the setting, instead of undici's
 * bare "Invalid URL" on the first request.
 */
export function normalizeProxy(proxy: ProxySettings): ProxySettings {
  const url = (value: string | undefined): string | undefined => {
    if (!value) return undefined;
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    try {
      new URL(withScheme);
    } catch {
      throw new OciError(
        'USAGE',
        `the proxy "${withoutCredentials(value)}" is not a URL (http://host:port): correct ${proxySettingWords(proxy)}`,
      );
    }
    return withScheme;
  };
  return { ...proxy, httpProxy: url(proxy.httpProxy), httpsProxy: url(proxy.httpsProxy) };
}

/**
 * A proxy setting as an error shows it: everything before its last "@" (user info, however malformed: a password
 * may hold "/", "@" or a space when the URL is broken, which no pattern for well-formed URLs catches) replaced.
 */
function withoutCredentials(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return redactSecrets(value);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  return `${at >= scheme.length ? scheme : ''}[redacted]${value.slice(at)}`;
}

/** The registry's own pool and the pool for the origins it sends us to, from one reading of trust and proxy. */
export function createDispatchers(
  config: RegistryConfig,
  options: DispatcherOptions = {},
): { registry: Dispatcher; other: Dispatcher } {
  let read: RegistryTls | undefined;
  const trust = () => (read ??= registryTls(config.host, config.caFile, options, clientCertificateFiles(config)));
  const proxy = normalizeProxy(options.proxy ?? proxyFromEnvironment());
  const own = (): tls.ConnectionOptions => {
    const { ca, cert, key } = trust();
    return {
      ...(ca ? { ca } : {}),
      ...(cert && key ? { cert, key } : {}),
      ...(config.skipTlsVerify ? { rejectUnauthorized: false } : {}),
    };
  };
  const other = (): tls.ConnectionOptions => {
    const { ca } = trust();
    return ca ? { ca } : {};
  };
  return {
    registry: dispatcher(own, options, proxy, isLoopbackHost(config.host)),
    other: dispatcher(other, options, proxy, false),
  };
}

/** The configured client certificate and key: both or neither (one alone would fail every handshake, unexplained). */
function clientCertificateFiles(config: RegistryConfig): ClientCertificateFiles | undefined {
  const { certFile, keyFile } = config;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile)
    throw new OciError(
      'USAGE',
      `the client certificate for ${config.host} needs both a certificate and its key (--cert-file and --key-file; certFile and keyFile in its settings)`,
    );
  return { certFile, keyFile };
}

function dispatcher(
  connect: () => tls.ConnectionOptions,
  options: DispatcherOptions,
  proxy: ProxySettings,
  direct: boolean,
): Dispatcher {
  const stall = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const pool = { ...POOL, headersTimeout: stall, bodyTimeout: stall };
  const exempt = (proxy.noProxy ?? '').split(/[,\s]+/).filter(Boolean);
  // NO_PROXY=* turns the proxy off, as in curl and Go; undici honours "*" only as the whole list, which the
  // loopback entries below would hide.
  if (direct || (!proxy.httpProxy && !proxy.httpsProxy) || exempt.includes('*'))
    return new Agent({ ...pool, connect: resolving(tlsWhenNeeded(connect), options.resolve) });
  const noProxy = [...LOOPBACK_NO_PROXY, ...exempt].join(',');
  // undici's ProxyAgent takes the origin's TLS options as `requestTls`; the direct agent (NO_PROXY) as `connect`.
  const tlsOptions = connect();
  return new EnvHttpProxyAgent({
    ...pool,
    connect: tlsOptions,
    requestTls: tlsOptions,
    ...(proxy.proxyTlsVerify === false ? { proxyTls: { rejectUnauthorized: false } } : {}),
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? proxy.httpProxy ?? '',
    noProxy,
  });
}

/**
 * The connector, connecting to the `--resolve` address of host:port where there is one. undici takes the TLS
 * server name (SNI and the certificate check) from `host` ("name:port"), which keeps the name: only the socket
 * moves.
 */
function resolving(
  connector: BuildConnector.connector,
  overrides: readonly ResolveOverride[] | undefined,
): BuildConnector.connector {
  if (!overrides?.length) return connector;
  return (opts, callback) => {
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const override = overrideFor(overrides, opts.hostname, port);
    if (!override) return connector(opts, callback);
    return connector({ ...opts, hostname: override.address, port: String(override.addressPort) }, callback);
  };
}

/**
 * undici's connector, given `tlsOptions()` only on the first https: connection (plain HTTP never asks). A trust
 * that cannot be read (a configured CA file that is missing) fails that connection with its own message.
 */
function tlsWhenNeeded(tlsOptions: () => tls.ConnectionOptions): BuildConnector.connector {
  const plain = buildConnector({});
  let secure: BuildConnector.connector | undefined;
  return (opts, callback) => {
    if (opts.protocol !== 'https:') return plain(opts, callback);
    try {
      secure ??= buildConnector(tlsOptions());
    } catch (err) {
      callback(err as Error, null);
      return;
    }
    secure(opts, callback);
  };
}
