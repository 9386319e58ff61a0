// HTTP to one registry: a connection pool with the registry's TLS settings, authentication rounds, retries
// with backoff, and redirects followed by hand so that credentials never leave the registry's origin.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { AuthError, OciError, TlsError, throwIfAborted } from '../oci';
import { sleep } from '../content';
import { Authenticator } from './Authenticator';
import {
  resolveCredentials,
  type CredentialChainOptions,
  type CredentialSource,
  type ResolvedCredentials,
} from './credentials';
import { createDispatchers, normalizeProxy, proxyFromEnvironment, type ProxySettings } from './dispatchers';
import { CANCELLED, redactUrl, type HttpLogger } from './httpLog';
import { bodyDeadline, withDeadline } from './deadline';
import { DEFAULT_MIN_THROUGHPUT, resolveLimits, type MinimumThroughput, type RegistryLimits } from './limits';
import { errorForResponse, errorForTransport } from './registryErrors';
import { registryOrigin, type RegistryConfig } from './registryConfig';
import { assertMayCarryCredentials } from './plainHttpCredentials';
import { WarningReporter, type RegistryWarningHandler } from './registryWarnings';
import type { ResolveOverride } from './resolveOverrides';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableAnswer,
  isRetryableError,
  parseRetryAfter,
  type RetryPolicy,
} from './retry';

export interface RegistryClientOptions {
  credentials?: CredentialChainOptions;
  retry?: Partial<RetryPolicy>;
  /** Called once per HTTP exchange with method, redacted URL, status and duration. */
  logger?: HttpLogger;
  /** Called once per distinct warning the registry sends (its `Warning: 299 - "…"` headers). */
  onWarning?: RegistryWarningHandler;
  userAgent?: string;
  maxRedirects?: number;
  /** Fail a request when the connection is silent this long (default 60 s; see dispatchers.ts). */
  stallTimeoutMs?: number;
  /** Bounds on listings, answers and request time (defaults in limits.ts). */
  limits?: Partial<RegistryLimits>;
  /** The slowest a blob download may be (default 1 KiB/s over each minute; tests shorten the window). */
  minThroughput?: MinimumThroughput;
  /** The forward proxy (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment; loopback never). */
  proxy?: ProxySettings;
  /** docker's per-registry certificate folders (default: ~/.docker/certs.d, /etc/docker/certs.d). */
  dockerCertsDirs?: string[];
  /** Configured TLS files already read, by path (see TrustOptions.trustFiles). */
  trustFiles?: ReadonlyMap<string, string>;
  /** `--resolve`: connect to these addresses instead of what DNS says (see resolveOverrides.ts). */
  resolve?: readonly ResolveOverride[];
}

/**
 * A request body. Every kind can be sent again (after a 401, a 429 or a broken connection): a stream body is
 * given as a factory, called once per attempt.
 */
export type RequestBody = Buffer | string | (() => Promise<StreamBody> | StreamBody);

/** A stream, or chunks from an async generator (see fileChunks.ts for why a file upload prefers those). */
export type StreamBody = Readable | AsyncIterable<Uint8Array>;

export interface RegistryRequest {
  method: Dispatcher.HttpMethod;
  /** "/v2/…" (with query) relative to the registry, or an absolute URL from a Location header. */
  url: string;
  /** Token scopes this request needs ("repository:app:pull"). */
  scopes: string[];
  headers?: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  /** Follow redirects (default: for GET and HEAD only). */
  followRedirects?: boolean;
  /**
   * Resend after a broken connection or 429/5xx (default true). Uploads that append (PATCH) turn it off and
   * resume from the offset the registry reports instead, so no byte is sent twice.
   */
  retryTransport?: boolean;
  /**
   * A blob transfer: no overall deadline (a gigabyte on a slow link takes as long as it takes); the idle
   * timeout and, for downloads, the minimum throughput guard bound it instead. Default: true when the body is
   * a stream.
   */
  transfer?: boolean;
}

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
  /** Where the answer came from, after redirects. */
  url: URL;
}

/** One request as sendWithRetries sends it (after authentication and redirects are decided). */
interface Exchange {
  url: URL;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  /** Redirect hops already followed for this request: the log numbers attempts across them. Default 0. */
  redirectsFollowed?: number;
  /** The connection pool; default: the registry's for its own origin, the pool for other origins elsewhere. */
  dispatcher?: Dispatcher;
  /** Send again after a broken connection or a 429/502/503/504 (RegistryRequest.retryTransport). */
  retryTransport: boolean;
  /** A blob transfer: no overall deadline (RegistryRequest.transfer). */
  transfer: boolean;
  /** What `url` is to the registry when it is another origin ("the token service of"), for messages. */
  role?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_AUTH_ROUNDS = 4;

export class RegistryClient {
  readonly config: RegistryConfig;
  /** "https://host[:port]" of the API (Docker Hub's API host for docker.io). */
  readonly origin: string;
  private readonly registryDispatcher: Dispatcher;
  private readonly otherDispatcher: Dispatcher;
  private readonly authenticator: Authenticator;
  private readonly retry: RetryPolicy;
  readonly limits: RegistryLimits;
  readonly minThroughput: MinimumThroughput;
  private readonly warnings: WarningReporter;
  /** Read once: the dispatchers go through it, and its failures are named as its own (proxyErrors.ts). */
  private readonly proxy: ProxySettings;
  /** Per-registry memo of probes and other facts learnt once (see capabilities.ts). */
  readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    config: RegistryConfig,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.config = config;
    this.origin = registryOrigin(config);
    this.proxy = normalizeProxy(options.proxy ?? proxyFromEnvironment());
    const connection = {
      stallTimeoutMs: options.stallTimeoutMs,
      proxy: this.proxy,
      dockerCertsDirs: options.dockerCertsDirs,
      trustFiles: options.trustFiles,
      resolve: options.resolve,
    };
    const dispatchers = createDispatchers(config, connection);
    this.registryDispatcher = dispatchers.registry;
    this.otherDispatcher = dispatchers.other;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.limits = resolveLimits(options.limits);
    this.minThroughput = options.minThroughput ?? DEFAULT_MIN_THROUGHPUT;
    this.warnings = new WarningReporter(config.host, options.onWarning);
    this.authenticator = new Authenticator({
      host: config.host,
      credentials: (signal) => resolveCredentials(config.host, options.credentials, signal),
      // A token service on the registry's own origin (Harbor's, GitLab's) is behind the same gateway: -H too.
      sendToRealm: (url, init, signal) => {
        const headers = { ...init.headers, ...this.customHeadersFor(url) };
        return this.sendWithRetries({
          url,
          method: init.method,
          headers,
          body: init.body,
          signal,
          retryTransport: true,
          transfer: false,
          role: 'the token service of',
        });
      },
      origin: this.origin,
      skipTlsVerify: !!config.skipTlsVerify,
      allowCredentialsOverHttp: !!config.allowCredentialsOverHttp,
      requestTimeoutMs: this.limits.requestTimeoutMs,
    });
  }

  get host(): string {
    return this.config.host;
  }

  /** Tells the user something of Stowage's own about this registry, where its warnings go (once each). */
  warn(text: string): void {
    this.warnings.reportOurs(text);
  }

  credentialSource(signal?: AbortSignal): Promise<CredentialSource> {
    return this.authenticator.credentialSource(signal);
  }

  /**
   * Checks that the registry answers the API and accepts the credentials (a login check): GET /v2/ with
   * authentication. Throws AuthError when they are missing or rejected, TlsError/NetworkError when unreachable.
   */
  async ping(signal?: AbortSignal): Promise<{ source: CredentialSource }> {
    const res = await this.expect({ method: 'GET', url: '/v2/', scopes: [], signal }, [200], `the API of ${this.host}`);
    await res.body.dump();
    return { source: await this.credentialSource(signal) };
  }

  /** The user's credentials for this registry (the GitHub token a GHCR login holds, for GitHub's packages API). */
  userCredentials(signal?: AbortSignal): Promise<ResolvedCredentials> {
    return this.authenticator.userCredentials(signal);
  }

  /**
   * GET from the web API of the registry's operator (Docker Hub's hub API, GitHub's REST API), through the pool
   * for other origins (the same proxy and trust store), with the request deadline and retries. Never sends the
   * registry's credentials (the caller adds what that API needs) and never follows a redirect.
   */
  async getFromWebApi(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<RegistryResponse> {
    const res = await this.sendWithRetries({
      url,
      method: 'GET',
      headers: { 'user-agent': this.options.userAgent ?? 'stowage', ...headers },
      signal,
      dispatcher: this.otherDispatcher,
      retryTransport: true,
      transfer: false,
      role: 'the web API of',
    });
    return { status: res.statusCode, headers: res.headers, body: res.body, url };
  }

  /** Drops cached credentials, tokens and probes (after the user logs in or out). */
  reset(): void {
    this.authenticator.reset();
    this.memo.clear();
  }

  async close(): Promise<void> {
    await Promise.all([this.registryDispatcher.close(), this.otherDispatcher.close()]);
  }

  /** Sends a request, answering authentication challenges; returns any final status for the caller to judge. */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    let scopes = this.authenticator.scopesFor(req.scopes);
    const url = new URL(req.url, this.origin);
    if (url.origin !== this.origin)
      throw new OciError('REGISTRY', `refusing to send a ${this.host} request to another origin`);
    // Saved credentials that were refused are read again once per request: they may have been renewed since.
    let reread = false;
    const retryWithNewCredentials = async (generation: number): Promise<boolean> => {
      if (reread) return false;
      reread = true;
      return this.authenticator.rereadCredentials(generation, req.signal);
    };
    for (let round = 0; ; round++) {
      throwIfAborted(req.signal);
      const generation = this.authenticator.credentialsGeneration;
      let authorization;
      try {
        authorization = await this.authenticator.authorize(scopes, req.signal);
      } catch (err) {
        if (err instanceof AuthError && (await retryWithNewCredentials(generation))) continue;
        throw err;
      }
      const res = await this.followRedirects(url, req, authorization.header);
      if (res.status === 400 && req.method === 'HEAD' && url.protocol === 'http:')
        await this.refuseIfHttpsOnly(req.signal);
      const fromRegistry = res.url.origin === this.origin;
      // ECR answers an expired password with 403 ("Your authorization token has expired"), not 401.
      if (res.status === 403 && fromRegistry && authorization.header && (await retryWithNewCredentials(generation))) {
        await res.body.dump();
        continue;
      }
      if (res.status !== 401 || !fromRegistry || round >= MAX_AUTH_ROUNDS - 1) {
        if (res.status !== 401 && res.status !== 403) this.authenticator.rememberScopes(req.scopes, scopes);
        return res;
      }
      await res.body.dump();
      try {
        scopes = await this.authenticator.onUnauthorized(
          scopes,
          res.headers['www-authenticate'],
          authorization,
          req.signal,
        );
      } catch (err) {
        if (err instanceof AuthError && (await retryWithNewCredentials(generation))) continue;
        throw err;
      }
    }
  }

  /**
   * A 400 to a plain-HTTP HEAD has no body to say why: when the registry's API answers a plain GET as HTTPS servers
   * answer plain HTTP ("Client sent an HTTP request to an HTTPS server"), the registry speaks HTTPS and that is the
   * error (TlsError with `speaksTls`), not a bare "answered 400" about a manifest.
   */
  private async refuseIfHttpsOnly(signal?: AbortSignal): Promise<void> {
    const headers = { 'user-agent': this.options.userAgent ?? 'stowage' };
    const url = new URL('/v2/', this.origin);
    const res = await this.sendWithRetries({
      url,
      method: 'GET',
      headers,
      signal,
      dispatcher: this.registryDispatcher,
      retryTransport: false,
      transfer: false,
    });
    if (res.statusCode !== 400) return void (await res.body.dump());
    const error = await errorForResponse(this.host, `the API of ${this.host}`, 400, res.body);
    if (error instanceof TlsError && error.speaksTls) throw error;
  }

  /**
   * The user's extra headers (-H) for a request to `url`: none off the registry's origin, and refused where a
   * secret may not go (the channel the credentials are judged by).
   */
  private customHeadersFor(url: URL): Record<string, string> {
    if (!this.config.headers || url.origin !== this.origin) return {};
    const what = 'the custom headers (-H, held to the rule for secrets)';
    assertMayCarryCredentials(this.host, this.authenticator.channel, url, 'the registry', what);
    return this.config.headers;
  }

  /**
   * How long to wait before starting over a request that is not simply sent again (an upload's body, which
   * starts over in a new session) after `res` asked to come back later (429, or a gateway's 502/503/504): what
   * Retry-After says, else the backoff. Undefined when the answer is final or `attempt` used up the retries.
   */
  retryDelay(res: RegistryResponse, attempt: number): number | undefined {
    if (!isRetryableAnswer(res.status, res.headers) || attempt >= this.retry.retries) return undefined;
    return backoffDelay(this.retry, attempt, parseRetryAfter(res.headers['retry-after']));
  }

  /** `request` that throws the typed error for any status outside `expected`. `what` names the subject for messages. */
  async expect(req: RegistryRequest, expected: number[], what: string): Promise<RegistryResponse> {
    const res = await this.request(req);
    if (!expected.includes(res.status))
      throw await errorForResponse(this.host, what, res.status, res.body, res.headers);
    return res;
  }

  private async followRedirects(
    start: URL,
    req: RegistryRequest,
    authorization: string | undefined,
  ): Promise<RegistryResponse> {
    const follow = req.followRedirects ?? (req.method === 'GET' || req.method === 'HEAD');
    const maxRedirects = this.options.maxRedirects ?? 5;
    let url = start;
    for (let hop = 0; ; hop++) {
      const sameOrigin = url.origin === this.origin;
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'stowage', ...req.headers };
      // Credentials belong to the registry's origin only: never to blob storage or another host it redirects to.
      if (sameOrigin && authorization) headers.authorization = authorization;
      Object.assign(headers, this.customHeadersFor(url));
      const transfer = req.transfer ?? typeof req.body === 'function';
      const res = await this.sendWithRetries({
        url,
        method: req.method,
        headers,
        body: req.body,
        signal: req.signal,
        redirectsFollowed: hop,
        dispatcher: sameOrigin ? this.registryDispatcher : this.otherDispatcher,
        retryTransport: req.retryTransport ?? true,
        transfer,
        role: sameOrigin ? undefined : 'the storage redirected to by',
      });
      const location = res.headers.location;
      if (!follow || !REDIRECTS.has(res.statusCode) || typeof location !== 'string')
        return { status: res.statusCode, headers: res.headers, body: res.body, url };
      await res.body.dump();
      if (hop >= maxRedirects)
        throw new OciError('REGISTRY', `${this.host} redirected more than ${maxRedirects} times`);
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol !== 'https:')
        throw new OciError(
          'REGISTRY',
          `${this.host} redirected from HTTPS to ${next.protocol.replace(':', '')}; refusing`,
        );
      url = next;
    }
  }

  /** One exchange with retries on 429/502/503/504 and broken connections (when the body can be sent again). */
  private async sendWithRetries(exchange: Exchange): Promise<Dispatcher.ResponseData> {
    const { url, method, headers, body, signal, redirectsFollowed = 0, dispatcher, transfer, role } = exchange;
    const via = dispatcher ?? (url.origin === this.origin ? this.registryDispatcher : this.otherDispatcher);
    // Failures name what was contacted: "cannot reach <registry>" about its token service sent users to a registry
    // that was running.
    const subject = url.origin === this.origin ? this.host : `${url.host}, ${role ?? 'reached for'} ${this.host}`;
    // One deadline for the request and its retries: a frozen registry (every attempt stalls) fails within it,
    // not after a stall per attempt; a retry that could not start before it ends is not made.
    const firstStarted = Date.now();
    const beforeDeadline = (wait: number) =>
      transfer || Date.now() + wait < firstStarted + this.limits.requestTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(signal);
      const started = Date.now();
      const log = (status?: number, error?: string) =>
        this.options.logger?.({
          method,
          url: redactUrl(url),
          status,
          error,
          durationMs: Date.now() - started,
          attempt: attempt + redirectsFollowed,
        });
      let res: Dispatcher.ResponseData;
      try {
        const payload = typeof body === 'function' ? await body() : body;
        // undici closes the connection after every HEAD (in case a server sends a body anyway); the registry's
        // own HEADs are well-formed and frequent (one per blob), so its connections stay in the pool.
        const reset = method === 'HEAD' && via === this.registryDispatcher ? false : undefined;
        // undici sends async iterables (its dispatcher documents them); only request()'s typings leave them out.
        const send = (attemptSignal: AbortSignal | undefined) =>
          via.request({
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method,
            headers,
            body: payload as Readable | Buffer | string | undefined,
            signal: attemptSignal,
            reset,
          });
        res = transfer
          ? await send(signal)
          : await withDeadline(
              this.limits.requestTimeoutMs,
              signal,
              this.host,
              `${subject} did not finish answering ${method} ${url.pathname}`,
              send,
              firstStarted,
            );
      } catch (err) {
        log(undefined, signal?.aborted ? CANCELLED : String((err as { code?: unknown }).code ?? (err as Error).name));
        const wait = backoffDelay(this.retry, attempt);
        if (
          !signal?.aborted &&
          exchange.retryTransport &&
          attempt < this.retry.retries &&
          isRetryableError(err) &&
          beforeDeadline(wait)
        ) {
          await sleep(wait, signal);
          continue;
        }
        const peer = subject === this.host ? undefined : subject;
        throw errorForTransport(this.host, err, signal, { proxy: this.proxy, protocol: url.protocol }, peer);
      }
      log(res.statusCode);
      if (transfer && (res.statusCode < 200 || res.statusCode > 299))
        bodyDeadline(
          res,
          this.limits.requestTimeoutMs,
          this.host,
          `${subject} did not finish answering ${method} ${url.pathname}`,
        );
      // The registry's own answers only: a token server or a blob store's CDN does not speak for it.
      if (url.origin === this.origin) this.warnings.report(res.headers['warning']);
      const wait = backoffDelay(this.retry, attempt, parseRetryAfter(res.headers['retry-after']));
      if (
        isRetryableAnswer(res.statusCode, res.headers) &&
        exchange.retryTransport &&
        attempt < this.retry.retries &&
        beforeDeadline(wait)
      ) {
        await res.body.dump();
        await sleep(wait, signal);
        continue;
      }
      return res;
    }
  }
}
