// Asking on the terminal, as `docker login` and `oras login` do when no password is given: a line with echo, a
// secret without. Only when standard input is a terminal; a script gets a usage error instead of a hang.
import * as readline from 'node:readline';
import type { ReadStream } from 'node:tty';
import type { Readable, Writable } from 'node:stream';
import { AbortedError } from '../core/oci';

/** Standard input when it is a terminal (one a person types into), else undefined. */
export function terminalInput(stdin: Readable): ReadStream | undefined {
  const tty = stdin as ReadStream;
  return tty.isTTY && typeof tty.setRawMode === 'function' ? tty : undefined;
}

/**
 * Calls `stop` once `signal` aborts (SIGTERM or SIGHUP while a person is being asked: the process has a signal
 * handler, so without this it would wait for the answer); returns what removes the listener.
 */
function onAbort(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    stop();
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

/** One line typed after `prompt` (shown on `out`), echoed as typed. */
export async function askLine(input: ReadStream, out: Writable, prompt: string, signal?: AbortSignal): Promise<string> {
  const rl = readline.createInterface({ input, output: out, terminal: true });
  let forget = () => undefined as void;
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new AbortedError()));
      forget = onAbort(signal, () => reject(new AbortedError({ cause: signal?.reason })));
      rl.question(prompt, resolve);
    });
  } finally {
    forget();
    rl.close();
  }
}

/** One line typed after `prompt` without showing it; backspace edits, Ctrl-C and Ctrl-D give up. */
export async function askSecret(
  input: ReadStream,
  out: Writable,
  prompt: string,
  signal?: AbortSignal,
): Promise<string> {
  out.write(prompt);
  input.setRawMode(true);
  input.resume();
  let forget = () => undefined as void;
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer) => {
        for (const c of chunk.toString('utf8')) {
          if (c === '\r' || c === '\n') return finish(() => resolve(value));
          if (c === '\u0003' || c === '\u0004') return finish(() => reject(new AbortedError()));
          if (c === '\u007f' || c === '\b') value = [...value].slice(0, -1).join('');
          else if (c >= ' ') value += c;
        }
      };
      const finish = (settle: () => void) => {
        input.off('data', onData);
        settle();
      };
      input.on('data', onData);
      forget = onAbort(signal, () => finish(() => reject(new AbortedError({ cause: signal?.reason }))));
    });
  } finally {
    forget();
    input.setRawMode(false);
    input.pause();
    out.write('\n');
  }
}
