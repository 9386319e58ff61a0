// Waiting on what a pipe gives (standard input) ends when the command is stopped: the process handles SIGTERM,
// SIGHUP and SIGINT to clean up, so a read of a pipe whose writer never closes it would otherwise outlive them.
import { AbortedError } from '../core/oci';

/** `work`, or an AbortedError as soon as `signal` aborts (work that finishes later is left to itself). */
export async function untilStopped<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  // Stopped first, the work may still fail later (the pipe breaks as the process ends): nobody waits for it then.
  work.catch(() => undefined);
  let stop = () => undefined as void;
  const stopped = new Promise<never>((_, reject) => {
    stop = () => reject(new AbortedError({ cause: signal.reason }));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
