// A full garbage collection, for tests that prove an object is no longer held (a WeakRef that no longer derefs).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's gc, exposed for one call in a context of its own: the process's globals stay without it. */
export function fullCollect(): void {
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
