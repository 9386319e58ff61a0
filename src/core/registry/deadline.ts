// An overall deadline for one request, headers and body together, on top of the idle timeout: a server that
// trickles a byte every few seconds never trips an idle timeout but does trip this. The deadline aborts the
// request with a NetworkError that undici hands to whoever is reading the body, so the reader fails with it.
import type { Dispatcher } from 'undici';
import { NetworkError } from '../oci';
import { howToRaise } from './limits';

export async function withDeadline(
  ms: number,
  signal: AbortSignal | undefined,
  host: string,
  what: string,
  send: (signal: AbortSignal) => Promise<Dispatcher.ResponseData>,
): Promise<Dispatcher.ResponseData> {
  const deadline = new AbortController();
  const seconds = ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
  const timer = setTimeout(
    () =>
      deadline.abort(
        new NetworkError(
          host,
          `${what} within the request deadline of ${seconds} (the limit of one request; ${howToRaise('requestTimeoutMs')})`,
        ),
      ),
    ms,
  );
  timer.unref?.();
  try {
    const res = await send(signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal);
    // The deadline covers the body too, so it ends only when the body is read (or dropped).
    res.body.once('close', () => clearTimeout(timer));
    return res;
  } catch (err) {
    clearTimeout(timer);
    throw err;
  }
}
