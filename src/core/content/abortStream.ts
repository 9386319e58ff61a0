// A stream handed to a caller that may stop waiting: aborting the signal destroys it with AbortedError (so the
// file or socket under it closes), and the listener goes with the stream.
import type { Readable } from 'node:stream';
import { AbortedError } from '../oci';

export function destroyOnAbort<T extends Readable>(stream: T, signal: AbortSignal | undefined): T {
  if (!signal) return stream;
  const onAbort = () => stream.destroy(new AbortedError({ cause: signal.reason }));
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
  return stream;
}
