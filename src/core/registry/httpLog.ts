// The optional HTTP log: one entry per request, with anything secret taken out of the URL.

export interface HttpLogEntry {
  method: string;
  /** The URL with user info and secret-looking query values replaced by "REDACTED". */
  url: string;
  status?: number;
  durationMs: number;
  /** Error name and code when no response came. */
  error?: string;
  /** Which retry or auth round this was (0 for the first). */
  attempt: number;
}

export type HttpLogger = (entry: HttpLogEntry) => void;

/** The `error` of a request the caller cancelled: not a failure of the registry. */
export const CANCELLED = 'cancelled';

const SECRET_PARAMS =
  /^(?:.*token.*|.*password.*|.*secret.*|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|_state|code|client_assertion)$/i;

export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparseable URL)';
  }
  if (parsed.username || parsed.password) {
    parsed.username = 'REDACTED';
    parsed.password = '';
  }
  for (const key of [...new Set(parsed.searchParams.keys())]) {
    if (SECRET_PARAMS.test(key)) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString();
}
