// Typed errors of the engine. Only the CLI and editor layers turn them into words and actions;
// every message here must already name the thing at fault and must never contain a secret.
import { showInvisible } from './untrustedText';

export type OciErrorCode =
  | 'INVALID_REFERENCE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'DIGEST_MISMATCH'
  | 'SIZE_EXCEEDED'
  | 'INVALID_CONTENT'
  | 'UNSUPPORTED'
  | 'TLS'
  | 'INSECURE_TRANSPORT'
  | 'NETWORK'
  | 'REGISTRY'
  | 'RATE_LIMITED'
  | 'LAYOUT'
  | 'UNSAFE_PATH'
  | 'CONFLICT'
  | 'ABORTED'
  | 'USAGE';

export class OciError extends Error {
  readonly code: OciErrorCode;

  constructor(code: OciErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  static is(err: unknown, code?: OciErrorCode): err is OciError {
    return err instanceof OciError && (code === undefined || err.code === code);
  }
}

export class InvalidReferenceError extends OciError {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super('INVALID_REFERENCE', `invalid reference "${input}": ${reason}`);
  }
}

export class NotFoundError extends OciError {
  /** What the registry said ("NAME_UNKNOWN: …") or what is there instead, after "not found" in the message. */
  readonly detail?: string;
  /** The error codes a registry's answer gave (NAME_UNKNOWN, MANIFEST_UNKNOWN…), exactly; empty when it gave none. */
  readonly codes: readonly string[];

  constructor(what: string, options?: { cause?: unknown; detail?: string; codes?: readonly string[] }) {
    super('NOT_FOUND', `${what} not found${options?.detail ? ` (${options.detail})` : ''}`, options);
    this.detail = options?.detail || undefined;
    this.codes = options?.codes ?? [];
  }
}

/** The registry wants credentials (or better ones). `registry` is the host the user must log in to. */
export class AuthError extends OciError {
  /**
   * Which credentials were refused, when known: none were found, those given for this call (command line), or
   * those saved for the registry (a login). The CLI and the editor say what to do next from it.
   */
  readonly credentials?: 'none' | 'given' | 'saved';

  constructor(
    readonly registry: string,
    message: string,
    code: 'UNAUTHORIZED' | 'DENIED' = 'UNAUTHORIZED',
    options?: { cause?: unknown; credentials?: 'none' | 'given' | 'saved' },
  ) {
    super(code, message, options);
    this.credentials = options?.credentials;
  }
}

export class DigestMismatchError extends OciError {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super('DIGEST_MISMATCH', `${what}: digest mismatch (expected ${expected}, got ${actual})`);
  }
}

export class SizeExceededError extends OciError {
  constructor(what: string, limit: number) {
    super('SIZE_EXCEEDED', `${what} exceeds the limit of ${limit} bytes`);
  }
}

/** A pull would replace files that exist, and replacing was not allowed: nothing was written. */
export class OutputExistsError extends OciError {
  constructor(
    message: string,
    /** Where known in full (a Flux artifact's files, told only once unpacked): every name refused, for a Replace. */
    readonly names?: readonly string[],
  ) {
    super('CONFLICT', message);
  }
}

export class UnsafePathError extends OciError {
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super('UNSAFE_PATH', `refusing "${printable(entry)}": ${reason}`);
  }
}

export class TlsError extends OciError {
  /**
   * `speaksPlainHttp`: the server answered the TLS hello in plain HTTP (a registry without TLS), not a trust problem.
   * `untrusted`: its certificate chains to no authority trusted here, which the registry's CA file would fix.
   * `speaksTls`: the other way round: a plain-HTTP request reached a registry that speaks only HTTPS.
   */
  constructor(
    readonly registry: string,
    message: string,
    options?: { cause?: unknown; speaksPlainHttp?: boolean; untrusted?: boolean; speaksTls?: boolean },
  ) {
    super('TLS', message, options);
    this.speaksPlainHttp = options?.speaksPlainHttp ?? false;
    this.untrusted = options?.untrusted ?? false;
    this.speaksTls = options?.speaksTls ?? false;
  }

  readonly speaksPlainHttp: boolean;
  readonly untrusted: boolean;
  readonly speaksTls: boolean;
}

/** Stowage refused to send a secret over a connection that does not protect it. `registry` names the host to configure. */
export class InsecureTransportError extends OciError {
  constructor(
    readonly registry: string,
    message: string,
  ) {
    super('INSECURE_TRANSPORT', message);
  }
}

export class NetworkError extends OciError {
  /**
   * The registry closed a TLS connection before a byte of answer came, after a small request: what a registry that
   * wants a client certificate does to one without (TLS 1.3 sends its alert after the handshake, and undici reports
   * the close alone). A guess, offered as a hint only: a server that hangs up for another reason looks the same.
   */
  readonly closedUnanswered: boolean;

  constructor(
    readonly registry: string,
    message: string,
    options?: { cause?: unknown; closedUnanswered?: boolean },
  ) {
    super('NETWORK', message, options);
    this.closedUnanswered = options?.closedUnanswered ?? false;
  }
}

/** A registry's 429, after the waits it allowed; `quotaUsedUp` when its RateLimit headers say none is left. */
export class RateLimitError extends OciError {
  constructor(
    readonly registry: string,
    message: string,
    readonly quotaUsedUp: boolean,
  ) {
    super('RATE_LIMITED', message);
  }
}

export class AbortedError extends OciError {
  constructor(options?: { cause?: unknown }) {
    super('ABORTED', 'operation cancelled', options);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
}

/**
 * Makes hostile names safe to show in a message: at most 200 characters, and control, bidi and zero-width
 * characters shown as their code points (the one rule of `showInvisible`, shared with the editor and webview).
 */
export function printable(text: string): string {
  return showInvisible(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
