// The "Stowage" log: one line per HTTP request (method, URL, status, time). The engine hands over URLs with user
// info and secret-looking query values already redacted; headers and bodies are never logged.
import type * as vscode from 'vscode';
import { showInvisible } from '../core/oci';
import { CANCELLED, type HttpLogEntry, type HttpLogger } from '../core/registry';

const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The channel with every message shown through the one rule of `showInvisible`: a tag, artifact type or registry
 * message in a log line cannot start a forged line of its own (a line break inside it shows as ⟨U+000A⟩) or carry
 * escape sequences, whichever call site wrote it. Each call writes one line.
 */
export function untrustedTextLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      if (typeof property !== 'string' || !WRITERS.has(property)) return value.bind(target);
      return (message: unknown, ...rest: unknown[]) =>
        value.call(target, typeof message === 'string' ? showInvisible(message) : message, ...rest);
    },
  });
}

export function formatHttpEntry(entry: HttpLogEntry): string {
  const outcome =
    entry.status !== undefined
      ? String(entry.status)
      : entry.error === CANCELLED
        ? 'cancelled'
        : `failed (${entry.error ?? 'no response'})`;
  const attempt = entry.attempt > 0 ? ` [attempt ${entry.attempt + 1}]` : '';
  return `${entry.method} ${entry.url} → ${outcome} in ${Math.round(entry.durationMs)} ms${attempt}`;
}

/**
 * Failed requests (no answer, or status ≥ 400) as warnings; the others at Debug, or at Info when `verbose()`
 * says so — the Info level is for what the user did (transfers, logins), not for every request behind it.
 * Answers that are part of normal work are not failures: a 404 is how a lookup learns something is absent
 * (cosign tags, fallback tags, blobs before an upload), a first 401 is the challenge before a token. A
 * cancelled request is said once at Info.
 */
export function createHttpLogger(channel: vscode.LogOutputChannel, verbose: () => boolean): HttpLogger {
  return (entry) => {
    const line = formatHttpEntry(entry);
    if (entry.error === CANCELLED) channel.info(line);
    else if (isFailure(entry)) channel.warn(line);
    else if (verbose()) channel.info(line);
    else channel.debug(line);
  };
}

function isFailure(entry: HttpLogEntry): boolean {
  if (entry.status === undefined) return true;
  if (entry.status === 404 || (entry.status === 401 && entry.attempt === 0)) return false;
  return entry.status >= 400;
}
