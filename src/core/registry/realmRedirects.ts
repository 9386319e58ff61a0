// A token request that follows its realm's redirects, as Docker, containerd and oras-go do (Go's client: at most
// ten). Token services move (a realm on http:// that answers 301 to https://, an auth host behind a load balancer
// that sends 307 to another path), so a redirect is no error; but the credentials the request carries were judged
// for the realm the registry named, and go no further than that host: the Basic header is dropped on a hop to
// another host or to plain HTTP, and a refresh token in a POST body is never sent to another origin.
import type { Dispatcher } from 'undici';
import { linkedAbort } from '../content';
import { NetworkError, OciError, printable } from '../oci';

/** Sends one request to a token realm (no registry auth, no redirects followed). */
export type TokenSender = (
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  signal?: AbortSignal,
) => Promise<Dispatcher.ResponseData>;

export interface RealmRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The body holds a secret (a refresh token): it goes nowhere but the realm's own origin. */
  bodyIsSecret?: boolean;
}

export interface RealmAnswer {
  response: Dispatcher.ResponseData;
  /** Every URL asked, the realm first: for messages ("reached through …"). */
  chain: URL[];
}

/** Go's http.Client stops after ten redirects; so do Docker, containerd and oras-go. */
export const MAX_REALM_REDIRECTS = 10;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function sendToRealmFollowing(
  send: TokenSender,
  realm: URL,
  request: RealmRequest,
  options: {
    host: string;
    deadlineMs: number;
    /** When the token request began (Date.now()), for a request asked again: the deadline counts from there. */
    startedAt?: number;
    signal?: AbortSignal;
  },
): Promise<RealmAnswer> {
  const { host } = options;
  const started = options.startedAt ?? Date.now();
  const chain = [realm];
  const expired = () =>
    new NetworkError(
      host,
      `the token service of ${host} did not answer within the request deadline of ${Math.round(options.deadlineMs / 1000)} s (${describeChain(chain)})`,
    );
  // The whole chain answers within one request's deadline, the last answer's body included: every hop has its own
  // deadline too, but a chain of hops each just within it would take several.
  const deadline = linkedAbort(options.signal);
  const timer = setTimeout(() => deadline.abort(expired()), Math.max(0, started + options.deadlineMs - Date.now()));
  timer.unref?.();
  const { signal } = deadline;
  const over = () => {
    clearTimeout(timer);
    deadline.unlink();
  };
  try {
    let url = realm;
    let current = request;
    for (;;) {
      const response = await send(url, current, signal);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode) || typeof location !== 'string') {
        if (response.body.closed) over();
        else response.body.once('close', over);
        return { response, chain };
      }
      await response.body.dump();
      const redirects = chain.length;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new OciError(
          'REGISTRY',
          `the token service of ${host} redirected to a location that is not a URL (${describeChain(chain)})`,
        );
      }
      chain.push(next);
      if (redirects > MAX_REALM_REDIRECTS)
        throw new OciError(
          'REGISTRY',
          `the token service of ${host} redirected more than ${MAX_REALM_REDIRECTS} times (${describeChain(chain)})`,
        );
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw new OciError(
          'REGISTRY',
          `the token service of ${host} redirected to a URL that is not HTTP(S) (${describeChain(chain)})`,
        );
      if (url.protocol === 'https:' && next.protocol !== 'https:')
        throw new OciError(
          'REGISTRY',
          `the token service of ${host} redirected from HTTPS to plain HTTP (${describeChain(chain)}); refusing`,
        );
      if (Date.now() - started > options.deadlineMs) throw expired();
      current = nextRequest(current, response.statusCode, realm, next, host, chain);
      url = next;
    }
  } catch (err) {
    over();
    // A hop cut short by the chain's deadline (or its retries' wait) fails as the deadline, not as a cancel.
    if (deadline.signal.aborted && !options.signal?.aborted) throw deadline.signal.reason as NetworkError;
    throw err;
  }
}

/**
 * The request for the next hop: 301/302/303 turn a POST into a GET without its body (as browsers and Go do);
 * 307/308 keep both. Credentials stay only on the realm's own host, and only over HTTPS or the realm's own origin.
 */
function nextRequest(
  request: RealmRequest,
  status: number,
  realm: URL,
  next: URL,
  host: string,
  chain: URL[],
): RealmRequest {
  const headers = { ...request.headers };
  if (!keepsCredentials(realm, next)) delete headers.authorization;
  if (request.method === 'POST' && status !== 307 && status !== 308) {
    delete headers['content-type'];
    return { method: 'GET', headers };
  }
  if (request.bodyIsSecret && next.origin !== realm.origin)
    throw new OciError(
      'REGISTRY',
      `the token service of ${host} redirected the token request, which carries a refresh token, to another origin (${describeChain(chain)}); refusing to send it there`,
    );
  return { ...request, headers };
}

function keepsCredentials(realm: URL, next: URL): boolean {
  return next.origin === realm.origin || (next.hostname === realm.hostname && next.protocol === 'https:');
}

/** "https://a/token → https://b/token": origins and paths only (a query or user info may carry secrets). */
export function describeChain(chain: URL[]): string {
  return `reached through ${chain.map((u) => printable(`${u.origin}${u.pathname}`)).join(' → ')}`;
}
