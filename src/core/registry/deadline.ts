// An overall deadline for one request, headers and body together, on top of the idle timeout: a server that
// trickles a byte every few seconds never trips an idle timeout but does trip this. The deadline aborts the
// request with a NetworkError that undici hands to whoever is reading the body, so the reader fails with it.
import type { Dispatcher } from 'undici';
import { linkedDeadline } from '../content';
import { NetworkError } from '../oci';
import { howToRaise } from './limits';

export async function withDeadline(
  ms: number,
  signal: AbortSignal | undefined,
  host: string,
  what: string,
  send: (signal: AbortSignal) => Promise<Dispatcher.ResponseData>,
  /** When the request began: its retries share the one deadline, so each gets what is left of it. */
  startedAt = Date.now(),
): Promise<Dispatcher.ResponseData> {
  // The caller's signal followed until the request is over (linkedAbort.ts: not AbortSignal.any, which kept a
  // reference per request in the caller's signal for the whole run).
  const left = Math.max(0, startedAt + ms - Date.now());
  const deadline = linkedDeadline(signal, left, () => deadlineError(ms, host, what));
  const over = deadline.unlink;
  try {
    const res = await send(deadline.signal);
    // The deadline covers the body too, so it ends only when the body is read (or dropped).
    res.body.once('close', over);
    return res;
  } catch (err) {
    over();
    throw err;
  }
}

/**
 * A deadline on the body alone, for a transfer's answer that is not its content (an error or a redirect): a
 * transfer has no overall deadline (a gigabyte takes its time, a stall guard watches it), but the few KiB of an
 * error body read for its message must not take hours when a server trickles them.
 */
export function bodyDeadline(res: Dispatcher.ResponseData, ms: number, host: string, what: string): void {
  const timer = setTimeout(() => res.body.destroy(deadlineError(ms, host, what)), ms);
  timer.unref?.();
  res.body.once('close', () => clearTimeout(timer));
}

function deadlineError(ms: number, host: string, what: string): NetworkError {
  const seconds = ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
  return new NetworkError(
    host,
    `${what} within the request deadline of ${seconds} (the limit of one request; ${howToRaise('requestTimeoutMs')})`,
  );
}
