// A controller that also aborts when a longer-lived signal does (a run's, the user's cancel), and lets go of it when
// its work is done. AbortSignal.any does the first but not the second: Node 20 keeps a weak reference to every signal
// it made in each signal it follows, for as long as that one lives. A run's signal, followed by one such signal per
// request, grew by about a kilobyte a tag over a copy of many tags (77,790 references at 6,600 tags).
import { setMaxListeners } from 'node:events';

export interface LinkedAbort {
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
  /** Stops following the parent: call it when the work is done, however it ended. */
  unlink(): void;
}

export function linkedAbort(parent: AbortSignal | undefined): LinkedAbort {
  const controller = new AbortController();
  const follow = () => controller.abort(parent!.reason);
  const unlink = () => parent?.removeEventListener('abort', follow);
  if (parent?.aborted) follow();
  else if (parent) {
    // Every request in flight follows its run's signal this way and leaves with its request: a referrer walk or a
    // copy has more at once than Node's leak warning expects (it printed in the CLI and the editor's log).
    setMaxListeners(0, parent);
    parent.addEventListener('abort', follow, { once: true });
  }
  return {
    signal: controller.signal,
    abort: (reason) => {
      unlink();
      controller.abort(reason);
    },
    unlink,
  };
}

/**
 * A linked abort that also fires by itself after `ms` with `late()`'s reason (a request's or a document read's
 * deadline); `unlink` stops the clock too.
 */
export function linkedDeadline(parent: AbortSignal | undefined, ms: number, late: () => unknown): LinkedAbort {
  const linked = linkedAbort(parent);
  const timer = setTimeout(() => linked.abort(late()), ms);
  timer.unref?.();
  return {
    signal: linked.signal,
    abort: linked.abort,
    unlink: () => {
      clearTimeout(timer);
      linked.unlink();
    },
  };
}
