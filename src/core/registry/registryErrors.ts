// Turns registry answers and transport failures into the engine's typed errors, with messages that name the
// request's subject and quote the registry's own error codes, never headers or secrets.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import {
  AbortedError,
  AuthError,
  NetworkError,
  NotFoundError,
  OciError,
  RateLimitError,
  TlsError,
  printable,
} from '../oci';
import { readCapped } from './cappedBody';
import type { ProxySettings } from './dispatchers';
import { proxyFailure } from './proxyErrors';
import { MAX_ERROR_BODY_BYTES } from './limits';
import { errorCode, requestQuota, type RequestQuota } from './retry';

interface OciErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

/** Longest `detail` quoted from an error: a digest or a name, not a document. */
const MAX_DETAIL_CHARS = 200;

/**
 * Reads (at most 64 KiB of) an error body and summarises the registry's error codes. A `detail` given as text is
 * what a message alone does not say (MANIFEST_BLOB_UNKNOWN's missing digest): it is quoted, unless `what` (the
 * request's subject) names it already. Object details (distribution's `{"name": …}`) repeat the subject and are left out.
 */
export async function describeErrorBody(body: Dispatcher.ResponseData['body'], what = ''): Promise<string> {
  return (await readErrorBody(body, what)).detail;
}

/** The summary describeErrorBody gives, and the error codes the body names (exactly, for decisions; not for display). */
async function readErrorBody(
  body: Dispatcher.ResponseData['body'],
  what: string,
): Promise<{ detail: string; codes: string[] }> {
  let text: string;
  try {
    text = (
      await readCapped(body, undefined, { limit: MAX_ERROR_BODY_BYTES, what: 'an error answer', truncate: true })
    ).toString('utf8');
  } catch {
    return { detail: '', codes: [] };
  }
  try {
    const parsed = JSON.parse(text) as OciErrorBody;
    if (Array.isArray(parsed.errors) && parsed.errors.length) {
      const errors = parsed.errors.filter((e): e is NonNullable<typeof e> => typeof e === 'object' && e !== null);
      if (errors.length)
        return {
          detail: errors
            .map((e) => [e.code, e.message, quotedDetail(e.detail, what)].filter(Boolean).join(': '))
            .map((s) => printable(String(s)))
            .join('; '),
          codes: errors.map((e) => (typeof e.code === 'string' ? e.code : '')),
        };
    }
  } catch {
    // not JSON: fall through to a short plain-text excerpt
  }
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { detail: printable(plain.slice(0, 200)), codes: [] };
}

/** Codes with which a registry says a repository does not exist (distribution's NAME_UNKNOWN; Harbor's NOT_FOUND). */
const UNKNOWN_NAME_CODES = new Set(['NAME_UNKNOWN', 'NOT_FOUND']);

/**
 * True when a registry's 404 says the repository is unknown, and only that: a 404 whose body says DENIED or
 * UNAUTHORIZED (a registry hiding a private repository), says nothing, or is no registry's answer stays an error.
 */
export function isUnknownRepository(err: unknown): boolean {
  return err instanceof NotFoundError && err.codes.length > 0 && err.codes.every((c) => UNKNOWN_NAME_CODES.has(c));
}

function quotedDetail(detail: unknown, what: string): string | undefined {
  if (typeof detail !== 'string') return undefined;
  const text = detail.trim();
  if (!text || text.length > MAX_DETAIL_CHARS || what.includes(text)) return undefined;
  return text;
}

/** The typed error for an unexpected status. `what` names the subject: "manifest 127.0.0.1:5000/app:v1". */
export async function errorForResponse(
  host: string,
  what: string,
  status: number,
  body: Dispatcher.ResponseData['body'],
  headers: IncomingHttpHeaders = {},
): Promise<OciError> {
  const { detail, codes } = await readErrorBody(body, what);
  const suffix = detail ? ` (${detail})` : '';
  if (status === 404) return new NotFoundError(what, { detail, codes });
  if (status === 429) {
    const quota = requestQuota(headers);
    return new RateLimitError(
      host,
      `${host} answered 429 for ${what}: ${tooMany(quota)}${suffix}`,
      quota?.remaining === 0,
    );
  }
  if (status === 400 && TLS_SERVER_ANSWER.test(detail))
    return new TlsError(host, `${host} speaks HTTPS and refused a plain-HTTP request for ${what}${suffix}`, {
      speaksTls: true,
    });
  if (status === 401) return new AuthError(host, `${host} requires authentication for ${what}${suffix}`);
  if (status === 403) return new AuthError(host, `${host} denied access to ${what}${suffix}`, 'DENIED');
  if (status === 405) return new OciError('UNSUPPORTED', `${host} does not support this operation on ${what}${suffix}`);
  if (status === 413) return new OciError('SIZE_EXCEEDED', `${host} refused ${what} as too large${suffix}`);
  return new OciError('REGISTRY', `${host} answered ${status} for ${what}${suffix}`);
}

/** What a 429 says about the registry's quota, and what the user can do about it. */
function tooMany(quota: RequestQuota | undefined): string {
  if (quota?.remaining !== 0) return 'too many requests; try again later';
  const limit = quota.limit !== undefined ? ` of ${quota.limit} requests` : '';
  const window = quota.windowSeconds ? ` per ${formatWindow(quota.windowSeconds)}` : '';
  // Docker Hub counts anonymous pulls by address (a whole office behind one NAT shares them) and allows more to
  // an account: logging in is the step that helps now.
  return `its limit${limit}${window} is used up; logging in raises it where anonymous requests share a limit by address (Docker Hub), or try again once the limit renews`;
}

function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

const TLS_CODES =
  /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID)/;

/** Certificates that chain to no authority trusted here: the registry's CA file is the fix. */
const UNTRUSTED_CODES =
  /^(?:UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/;

/** What a TLS failure code means, in words. */
function tlsProblem(code: string, host: string): string {
  if (UNTRUSTED_CODES.test(code))
    return "its certificate is not trusted (signed by no certificate authority this machine or the registry's CA file trusts)";
  if (code === 'CERT_HAS_EXPIRED') return 'its certificate has expired';
  if (code === 'CERT_NOT_YET_VALID') return "its certificate is not valid yet (is this machine's clock right?)";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH')
    return `its certificate is not made out to ${host.replace(/:\d+$/, '')}`;
  return 'the TLS handshake did not complete';
}

/** What an HTTPS server answers to a plain-HTTP request: Go's net/http (distribution, zot, Harbor), nginx. */
const TLS_SERVER_ANSWER = /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i;

/** OpenSSL's answer when the server's first bytes are an HTTP response instead of a TLS record. */
export const PLAIN_HTTP_ANSWER = /WRONG_VERSION_NUMBER|wrong version number|packet length too long|http request/i;

/** The typed error for a request that got no answer. What to do next is the CLI's hint or the editor's button. */
export function errorForTransport(
  host: string,
  err: unknown,
  signal?: AbortSignal,
  via?: { proxy: ProxySettings; protocol: string },
  /**
   * What was contacted when it was not the registry (its token service, the storage it redirected to), in words
   * naming its address: the registry itself may be running fine, and "cannot reach HOST" sent the user there.
   */
  peer?: string,
): OciError {
  const subject = peer ?? host;
  if (err instanceof OciError) return err;
  if (signal?.aborted) return new AbortedError({ cause: err });
  const atProxy = via && proxyFailure(host, err, via.proxy, via.protocol);
  if (atProxy) return atProxy;
  const code = errorCode(err) ?? '';
  if (PLAIN_HTTP_ANSWER.test(code) || PLAIN_HTTP_ANSWER.test(String((err as Error)?.message))) {
    return new TlsError(host, `TLS with ${subject} failed: it answers in plain HTTP`, {
      cause: err,
      speaksPlainHttp: true,
    });
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(String((err as Error)?.message))) {
    const untrusted = UNTRUSTED_CODES.test(code);
    return new TlsError(host, `TLS with ${subject} failed (${code || 'handshake error'}): ${tlsProblem(code, host)}`, {
      cause: err,
      untrusted,
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new NetworkError(
      host,
      `${subject} stopped answering (${code === 'UND_ERR_HEADERS_TIMEOUT' ? 'no response' : 'no data'} within the stall timeout)`,
      { cause: err },
    );
  }
  const why = peer && code === 'ECONNREFUSED' ? 'nothing accepts connections there' : UNREACHABLE_BECAUSE[code];
  return new NetworkError(
    host,
    `cannot reach ${subject} (${code || (err as Error)?.name || 'network error'})${why ? `: ${why}` : ''}`,
    { cause: err, closedUnanswered: !peer && via?.protocol === 'https:' && closedAfterSmallRequest(err, code) },
  );
}

/**
 * Closed with nothing read after little was sent (a handshake and a request's headers): how a registry refuses a
 * connection without a client certificate. A registry that dies during an upload has been sent much more.
 */
function closedAfterSmallRequest(err: unknown, code: string): boolean {
  const socket = (err as { socket?: { bytesRead?: unknown; bytesWritten?: unknown } } | undefined)?.socket;
  return (
    code === 'UND_ERR_SOCKET' &&
    socket?.bytesRead === 0 &&
    typeof socket.bytesWritten === 'number' &&
    socket.bytesWritten < SMALL_REQUEST_BYTES
  );
}

const SMALL_REQUEST_BYTES = 64 * 1024;

/** What the usual connection failures mean, and where to look. */
const UNREACHABLE_BECAUSE: Record<string, string> = {
  ENOTFOUND: 'the name does not resolve (offline, a typo, or a network that needs a proxy: HTTPS_PROXY)',
  EAI_AGAIN: 'the name could not be resolved now (DNS unavailable: offline, or a network that needs a proxy)',
  ECONNREFUSED: 'nothing accepts connections there (is the registry running, and on that port?)',
  ETIMEDOUT: 'the connection got no answer (a firewall, or a network that needs a proxy: HTTPS_PROXY)',
  UND_ERR_CONNECT_TIMEOUT: 'the connection got no answer (a firewall, or a network that needs a proxy: HTTPS_PROXY)',
  EHOSTUNREACH: 'no route to that host (offline, or a VPN that is not connected)',
  ENETUNREACH: 'no route to that network (offline, or a VPN that is not connected)',
};
