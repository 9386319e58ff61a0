// When and how long to wait before retrying a request: 429 and gateway errors, and connections that broke.

export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  retries: number;
  /** First backoff in ms, doubled each time with jitter (default 250). */
  baseDelayMs: number;
  /** No single wait is longer than this, whatever Retry-After says (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 30_000 };

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
// Connect timeouts (UND_ERR_CONNECT_TIMEOUT, ETIMEDOUT) are not retried: the system resent the connection request
// for the whole timeout already, and retries only multiplied the wait for an unreachable registry.
const RETRYABLE_ERROR_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

export function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isRetryableError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && RETRYABLE_ERROR_CODES.has(code);
}

/**
 * A registry's request quota as its RateLimit headers tell it (Docker Hub: `ratelimit-limit: 100;w=21600`,
 * `ratelimit-remaining: 0;w=21600`): undefined when it sends none.
 */
export interface RequestQuota {
  limit?: number;
  remaining?: number;
  windowSeconds?: number;
}

export function requestQuota(headers: Record<string, string | string[] | undefined>): RequestQuota | undefined {
  const parse = (name: string) => {
    const raw = headers[name];
    const match = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
    return match ? { count: Number(match[1]), window: match[2] ? Number(match[2]) : undefined } : undefined;
  };
  const limit = parse('ratelimit-limit');
  const remaining = parse('ratelimit-remaining');
  if (!limit && !remaining) return undefined;
  return { limit: limit?.count, remaining: remaining?.count, windowSeconds: limit?.window ?? remaining?.window };
}

/**
 * Whether an answer asks to come back later (429, a gateway's 502/503/504) and coming back can help: not a 429 whose
 * quota is used up and that names no time (Docker Hub's pull limit renews over hours, so waiting seconds and asking
 * again only repeats the refusal).
 */
export function isRetryableAnswer(status: number, headers: Record<string, string | string[] | undefined>): boolean {
  if (!isRetryableStatus(status)) return false;
  return !(status === 429 && requestQuota(headers)?.remaining === 0 && headers['retry-after'] === undefined);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** attempt;
  const jitter = exponential * 0.2 * Math.random();
  return Math.min(exponential + jitter, policy.maxDelayMs);
}
