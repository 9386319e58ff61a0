// Answers registry challenges: anonymous first, then Basic, or a Bearer token exchanged at the realm the
// registry names (GET with Basic credentials, or POST with a refresh token, asked again by GET where the POST is
// not served). Tokens are cached per scope set and renewed before they expire or when the registry calls them
// invalid; "insufficient_scope" widens the scope set to what the registry asked for, and later requests ask the
// wider set at once. A realm that redirects is followed (realmRedirects.ts).
import { AuthError, OciError } from '../oci';
import { parseChallenges } from './challenge';
import { credentialsFrom, isUsable, type CredentialSource, type ResolvedCredentials } from './credentials';
import { readJson } from './jsonBody';
import { formatBytesShort, MAX_TOKEN_ANSWER_BYTES, MAX_TOKEN_BYTES } from './limits';
import { assertMayCarryCredentials, type RegistryChannel } from './plainHttpCredentials';
import { describeChain, sendToRealmFollowing, type RealmRequest, type TokenSender } from './realmRedirects';
import { mergeScopes, scopeKey } from './scopes';

export type { TokenSender } from './realmRedirects';

export interface Authorization {
  /** The Authorization header value, when there is one to send. */
  header?: string;
  /** True when the token was fetched for this request (so a rejection is final, not staleness). */
  fresh: boolean;
}

/** Fewest milliseconds between two re-readings of saved credentials that found nothing new. */
const REREAD_INTERVAL_MS = 1000;

type HostScheme = { kind: 'basic' } | { kind: 'bearer'; realm: string; service?: string };

interface CachedToken {
  token: string;
  expiresAt: number;
  renewAt: number;
}

const CLIENT_ID = 'stowage';
const DEFAULT_TOKEN_SECONDS = 60;
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const MAX_WIDENED_SCOPE_SETS = 1000;
const POST_REFUSED = new Set([400, 401, 404, 405]);

export interface AuthenticatorOptions {
  /** The host credentials are looked up under (as the user wrote it, e.g. "docker.io"). */
  host: string;
  credentials: (signal?: AbortSignal) => Promise<ResolvedCredentials>;
  sendToRealm: TokenSender;
  /** Where the registry's API lives ("https://host" or "http://host"): Basic credentials go there. */
  origin: string;
  /** The registry's TLS certificate is not verified: its challenges may come from anyone on the path. */
  skipTlsVerify?: boolean;
  /** Send credentials over plain HTTP or unverified TLS to hosts that are not loopback (the registry's explicit opt-in). */
  allowCredentialsOverHttp: boolean;
  /** The deadline of one request, which a token request's whole redirect chain keeps (default 120 s). */
  requestTimeoutMs?: number;
}

export class Authenticator {
  private scheme: HostScheme | undefined;
  private readonly tokens = new Map<string, Promise<CachedToken>>();
  private resolved: Promise<ResolvedCredentials> | undefined;
  /** Counts the credentials read so far: a request that used an older count can try again with the new ones. */
  private generation = 0;
  private rereading: Promise<void> | undefined;
  private lastUnchangedReread = 0;
  /**
   * Scope sets a registry widened ("insufficient_scope" naming more: ACR wants `metadata_read` to list tags), by
   * the set a request asked: later requests ask the wider set at once instead of a token and a 401 more each.
   */
  private readonly widened = new Map<string, string[]>();

  /** How the registry is reached: decides where its credentials may go (plainHttpCredentials.ts). */
  readonly channel: RegistryChannel;

  constructor(private readonly options: AuthenticatorOptions) {
    this.channel = {
      origin: new URL(options.origin),
      skipTlsVerify: options.skipTlsVerify,
      allowCredentialsOverHttp: options.allowCredentialsOverHttp,
    };
  }

  /** Where the credentials in use come from (resolving them if needed). */
  async credentialSource(signal?: AbortSignal): Promise<CredentialSource> {
    return (await this.credentials(signal)).source;
  }

  /** The credentials in use (for the operator's web API, see webApi.ts); never sent anywhere by this call. */
  userCredentials(signal?: AbortSignal): Promise<ResolvedCredentials> {
    return this.credentials(signal);
  }

  /** Forgets credentials and tokens (after a login or logout). */
  reset(): void {
    this.scheme = undefined;
    this.tokens.clear();
    this.widened.clear();
    this.resolved = undefined;
    this.generation++;
  }

  /** Which reading of the credentials a request is about to use (see `rereadCredentials`). */
  get credentialsGeneration(): number {
    return this.generation;
  }

  /**
   * After the registry or its token service refused what a request sent: reads the saved credentials again and
   * says whether there are other ones to try than those the request used (read at `usedGeneration`). A client
   * lives on (the editor keeps one per host) while saved logins go stale: credential helpers hand out passwords
   * that expire (ECR's after 12 hours, gcloud's access tokens after one) and a `docker login` in a terminal
   * replaces what was read. Credentials given to the command are never read again.
   */
  async rereadCredentials(usedGeneration: number, signal?: AbortSignal): Promise<boolean> {
    if (this.generation !== usedGeneration) return true;
    // Nothing read yet (the refusal came before credentials were needed) or given ones: nothing to read again.
    const current = await this.resolved?.catch(() => undefined);
    if (!current || current.source === 'explicit') return false;
    if (!this.rereading && Date.now() - this.lastUnchangedReread >= REREAD_INTERVAL_MS) {
      this.rereading = this.reread(current, signal).finally(() => {
        this.rereading = undefined;
      });
    }
    await this.rereading?.catch(() => undefined);
    return this.generation !== usedGeneration;
  }

  private async reread(before: ResolvedCredentials, signal?: AbortSignal): Promise<void> {
    const after = await this.options.credentials(signal);
    if (sameCredentials(before, after)) {
      this.lastUnchangedReread = Date.now();
      return;
    }
    this.resolved = Promise.resolve(after);
    this.tokens.clear();
    this.generation++;
  }

  private credentials(signal?: AbortSignal): Promise<ResolvedCredentials> {
    if (!this.resolved) {
      this.resolved = this.options.credentials(signal);
      this.resolved.catch(() => {
        this.resolved = undefined;
      });
    }
    return this.resolved;
  }

  /** The scopes to ask for a request that needs `scopes`: wider where the registry asked for more before. */
  scopesFor(scopes: string[]): string[] {
    return this.widened.get(scopeKey(scopes)) ?? scopes;
  }

  /** Remembers that a request needing `asked` went through with `used` (see `widened`). */
  rememberScopes(asked: string[], used: string[]): void {
    const key = scopeKey(asked);
    if (key === scopeKey(used)) return;
    // One entry per distinct scope set a client asked for; a long-lived client is bounded all the same.
    if (this.widened.size >= MAX_WIDENED_SCOPE_SETS) this.widened.clear();
    this.widened.set(key, used);
  }

  /** The Authorization to send for `scopes`, from what earlier challenges taught. */
  async authorize(scopes: string[], signal?: AbortSignal): Promise<Authorization> {
    const scheme = this.scheme;
    if (!scheme) return { fresh: false };
    if (scheme.kind === 'basic') {
      const creds = await this.credentials(signal);
      if (!creds.username || creds.password === undefined) return { fresh: false };
      assertMayCarryCredentials(this.options.host, this.channel, this.channel.origin, 'the registry');
      return { header: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`, fresh: false };
    }
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && Date.now() < token.renewAt) return { header: `Bearer ${token.token}`, fresh: false };
      if (this.tokens.get(key) === cached) this.tokens.delete(key);
    }
    const fetching = this.fetchToken(scheme, scopes, signal);
    this.tokens.set(key, fetching);
    fetching.catch(() => {
      if (this.tokens.get(key) === fetching) this.tokens.delete(key);
    });
    return { header: `Bearer ${(await fetching).token}`, fresh: true };
  }

  /**
   * Learns from a 401 and returns the scopes to try next, or throws AuthError when another round cannot help
   * (credentials rejected, or permission missing even with a freshly issued token).
   */
  async onUnauthorized(
    scopes: string[],
    wwwAuthenticate: string | string[] | undefined,
    used: Authorization,
    signal?: AbortSignal,
  ): Promise<string[]> {
    const host = this.options.host;
    const challenges = parseChallenges(wwwAuthenticate);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      this.scheme = { kind: 'bearer', realm: bearer.params.realm!, service: bearer.params.service };
      const asked = bearer.params.scope ? bearer.params.scope.split(' ').filter(Boolean) : [];
      const next = mergeScopes(scopes, asked);
      if (used.header) this.tokens.delete(scopeKey(scopes));
      if (used.fresh && scopeKey(next) === scopeKey(scopes)) {
        const creds = await this.credentials(signal);
        // Docker Hub answers a repository that does not exist like one the token may not read (never 404): say both.
        const reads = repositoriesIn(scopes);
        const missing = bearer.params.error === 'insufficient_scope' && reads.length === scopes.length ? reads : [];
        const orMissing = missing.length ? ` (or ${describeRepositories(missing)} not exist)` : '';
        if (creds.source === 'anonymous')
          throw new AuthError(
            host,
            `${host} requires authentication and no credentials were found for it${orMissing}`,
            undefined,
            { credentials: 'none' },
          );
        throw new AuthError(
          host,
          `${host} denied ${describeScopes(next)} to ${credentialsFrom(creds.source)}${orMissing}`,
          'DENIED',
          { credentials: whose(creds.source) },
        );
      }
      return next;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.scheme = { kind: 'basic' };
      const creds = await this.credentials(signal);
      if (!creds.username || creds.password === undefined)
        throw new AuthError(host, `${host} requires a user name and password and none were found for it`, undefined, {
          credentials: 'none',
        });
      if (used.header)
        throw new AuthError(host, `${host} rejected ${credentialsFrom(creds.source)}`, undefined, {
          credentials: whose(creds.source),
        });
      return scopes;
    }
    throw new AuthError(host, `${host} answered 401 without a challenge Stowage understands`);
  }

  private async fetchToken(
    scheme: Extract<HostScheme, { kind: 'bearer' }>,
    scopes: string[],
    signal?: AbortSignal,
  ): Promise<CachedToken> {
    const host = this.options.host;
    const creds = await this.credentials(signal);
    let realm: URL;
    try {
      realm = new URL(scheme.realm);
    } catch {
      throw new OciError('REGISTRY', `${host} named a token realm that is not a URL`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:')
      throw new OciError('REGISTRY', `${host} named a token realm that is not an HTTP(S) URL`);
    // The realm comes from the registry's challenge: a password or token goes there only when both that
    // challenge and the path to the realm can be trusted. Without credentials the request carries no secret.
    const sendsSecret = isUsable(creds);
    if (sendsSecret) assertMayCarryCredentials(host, this.channel, realm, 'the token service');
    // GET with Basic credentials (the registry's token flow), or POST of a refresh token (OAuth2's).
    const byGet = (username: string | undefined, secret: string | undefined): [URL, RealmRequest] => {
      const url = new URL(realm);
      if (scheme.service) url.searchParams.set('service', scheme.service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (sendsSecret && secret !== undefined && (username || creds.identityToken))
        headers.authorization = `Basic ${Buffer.from(`${username ?? ''}:${secret}`).toString('base64')}`;
      return [url, { method: 'GET', headers }];
    };
    let first: [URL, RealmRequest];
    if (creds.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.identityToken,
        client_id: CLIENT_ID,
      });
      if (scheme.service) form.set('service', scheme.service);
      if (scopes.length) form.set('scope', scopes.join(' '));
      first = [
        realm,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          bodyIsSecret: true,
        },
      ];
    } else first = byGet(creds.username, creds.password ?? '');
    // The POST and the GET asked after it share one deadline: together they are one token request.
    const startedAt = Date.now();
    const send = ([url, request]: [URL, RealmRequest]) =>
      sendToRealmFollowing(this.options.sendToRealm, url, request, {
        host,
        deadlineMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        startedAt,
        signal,
      });
    let { response, chain } = await send(first);
    // Token services without the OAuth2 POST answer it 404 (GCR), 405, 400 (ACR) or 401 (Artifactory), as
    // containerd notes: ask again by GET, the refresh token as the Basic password, to the same realm.
    if (creds.identityToken && POST_REFUSED.has(response.statusCode)) {
      await response.body.dump();
      ({ response, chain } = await send(byGet(creds.username, creds.identityToken)));
    }
    // Where a redirected request went, for every message below (no query: it may carry secrets).
    const via = chain.length > 1 ? ` (${describeChain(chain)})` : '';
    if (response.statusCode === 401 || response.statusCode === 403) {
      await response.body.dump();
      throw new AuthError(
        host,
        creds.source === 'anonymous'
          ? `${host} requires authentication and no credentials were found for it${via}`
          : `the token service of ${host} rejected ${credentialsFrom(creds.source)}${via}`,
        undefined,
        { credentials: whose(creds.source) },
      );
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new OciError('REGISTRY', `the token service of ${host} answered ${response.statusCode}${via}`);
    }
    const answeredBy = chain[chain.length - 1]!;
    const tokenUrl = new URL(answeredBy.pathname, answeredBy);
    const { json: answer } = await readJson<{ token?: unknown; access_token?: unknown; expires_in?: number } | null>(
      host,
      { ...response, url: tokenUrl },
      {
        limit: MAX_TOKEN_ANSWER_BYTES,
        what: `the token answer of ${host}'s token service (a token is at most ${formatBytesShort(MAX_TOKEN_BYTES)})`,
      },
      signal,
    );
    const token = answer?.token || answer?.access_token;
    if (!token) throw new OciError('REGISTRY', `the token service of ${host} answered without a token${via}`);
    if (typeof token !== 'string')
      throw new OciError('REGISTRY', `the token service of ${host} answered a token that is not a string`);
    // It goes back in a header on every request: a huge one would be sent over and over (or break the request).
    if (Buffer.byteLength(token) > MAX_TOKEN_BYTES) {
      throw new OciError(
        'SIZE_EXCEEDED',
        `the token service of ${host} answered a token of ${Buffer.byteLength(token)} bytes, more than the ${formatBytesShort(MAX_TOKEN_BYTES)} a token may have; refusing it`,
      );
    }
    const lifetimeMs =
      (typeof answer?.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_TOKEN_SECONDS) *
      1000;
    const now = Date.now();
    // Renew a little early so a token does not expire between being chosen and reaching the registry.
    return { token, expiresAt: now + lifetimeMs, renewAt: now + lifetimeMs - Math.min(10_000, lifetimeMs / 2) };
  }
}

function sameCredentials(a: ResolvedCredentials, b: ResolvedCredentials): boolean {
  return (
    a.source === b.source &&
    a.username === b.username &&
    a.password === b.password &&
    a.identityToken === b.identityToken
  );
}

/** Whose credentials a source gives: none, this call's (-u/-p), or a saved login. */
function whose(source: CredentialSource): 'none' | 'given' | 'saved' {
  return source === 'anonymous' ? 'none' : source === 'explicit' ? 'given' : 'saved';
}

/** The repositories a read asks for (`repository:<name>:pull`): a push would create one that is not there. */
function repositoriesIn(scopes: string[]): string[] {
  return scopes.flatMap((scope) => {
    const match = /^repository:(.+):pull$/.exec(scope);
    return match ? [match[1]!] : [];
  });
}

function describeRepositories(names: string[]): string {
  return names.length === 1
    ? `the repository "${names[0]}" does`
    : `the repositories ${names.map((n) => `"${n}"`).join(', ')} do`;
}

function describeScopes(scopes: string[]): string {
  return scopes.length ? scopes.map((s) => `"${s}"`).join(', ') : 'access';
}
