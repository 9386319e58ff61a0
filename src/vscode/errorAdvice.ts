// Turns the engine's typed errors into words and one next step for the user. Free of the editor API (unit-tested).
import { NetworkError, OciError, printable, RateLimitError, TlsError } from '../core/oci';
import type { CommandId } from './commandIds';

export type NextStep = 'login' | 'setCaFile' | 'setClientCertificate' | 'usePlainHttp' | 'useHttps' | 'retry';

export interface ErrorAdvice {
  /** One line, plain text, safe to show (names from registries are escaped by the engine and here). */
  message: string;
  step: NextStep;
  stepLabel: string;
}

const STEP_LABELS: Record<NextStep, string> = {
  login: 'Log In…',
  setCaFile: 'Set CA File…',
  setClientCertificate: 'Set Client Certificate…',
  usePlainHttp: 'Use Plain HTTP…',
  useHttps: 'Use HTTPS',
  retry: 'Retry',
};

/** The command that takes each step for a registry (its host node as argument); a retry is the caller's own. */
const STEP_COMMANDS: Partial<Record<NextStep, CommandId>> = {
  login: 'stowage.registry.login',
  setCaFile: 'stowage.registry.setCaFile',
  setClientCertificate: 'stowage.registry.setClientCertificate',
  usePlainHttp: 'stowage.registry.usePlainHttp',
  useHttps: 'stowage.registry.useHttps',
};

export function stepCommand(step: NextStep): CommandId | undefined {
  return STEP_COMMANDS[step];
}

export function adviseOn(error: unknown): ErrorAdvice {
  const message = printable(firstLine(error instanceof Error ? error.message : String(error)));
  let step: NextStep = 'retry';
  if (OciError.is(error, 'UNAUTHORIZED') || OciError.is(error, 'DENIED')) step = 'login';
  // A used-up quota of anonymous requests (Docker Hub's pull limit) is raised by logging in.
  else if (error instanceof RateLimitError && error.quotaUsedUp) step = 'login';
  else if (error instanceof TlsError && error.speaksPlainHttp) step = 'usePlainHttp';
  else if (error instanceof TlsError && error.speaksTls) step = 'useHttps';
  else if (error instanceof TlsError ? error.untrusted : OciError.is(error, 'TLS')) step = 'setCaFile';
  // A registry that hangs up unanswered most often wants a client certificate (mutual TLS); said, not asserted.
  else if (error instanceof NetworkError && error.closedUnanswered)
    return {
      message: `${message}: if it asks for a client certificate (mutual TLS), set one for it`,
      step: 'setClientCertificate',
      stepLabel: STEP_LABELS.setClientCertificate,
    };
  return { message, step, stepLabel: STEP_LABELS[step] };
}

/** Errors a user caused by cancelling are not failures worth a message. */
export function isCancellation(error: unknown): boolean {
  return OciError.is(error, 'ABORTED') || (error instanceof Error && error.name === 'AbortError');
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line || 'unknown error';
}
