// Bytes from a registry printed to a terminal: a terminal acts on escape sequences and other control characters
// (retitle the window, write the clipboard, move the cursor back over what was shown), so content holding one is
// stopped before that byte reaches it. Tabs, new lines and a carriage return before a new line (Windows text) pass.
// What went before was plain text; a script writing to a file or a pipe is never guarded, and `-o -` prints as is.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OciError } from '../core/oci';

/** Whether `out` is a terminal (as `process.stdout` says when it is one). */
export function isTerminal(out: Writable): boolean {
  return (out as Writable & { isTTY?: boolean }).isTTY === true;
}

/**
 * Prints `content` (bytes or a stream) on `out` as it is when `asIs` (`-o -`) or `out` is no terminal; to a
 * terminal through the guard, naming `what` if it stops.
 */
export async function printContent(
  out: Writable,
  content: Buffer | Readable,
  what: string,
  asIs: boolean,
): Promise<void> {
  const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
  if (asIs || !isTerminal(out)) await pipeline(source, out, { end: false });
  else await pipeline(source, terminalGuard(out, what));
}

const CR = 0x0d;
const LF = 0x0a;
/** UTF-8 writes U+0080–U+009F (C1 controls, e.g. U+009B, a CSI) as 0xC2 then 0x80–0x9F. */
const C1_LEAD = 0xc2;

/**
 * A sink that writes into `out` what holds no terminal control character and fails, naming `what` and the first
 * such character, at one (nothing of or after it is written).
 */
export function terminalGuard(out: Writable, what: string): Writable {
  let held: Buffer | undefined;
  let offset = 0;
  let lastShown: number | undefined;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const bytes = held ? Buffer.concat([held, chunk]) : chunk;
      held = undefined;
      // A carriage return or C1 lead at the end is judged with the byte after it, in the next chunk.
      const last = bytes[bytes.length - 1];
      const keep = last === CR || last === C1_LEAD ? bytes.length - 1 : bytes.length;
      const bad = firstControl(bytes, keep);
      if (bad !== undefined) {
        const shown = bytes.subarray(0, bad.at);
        // The refusal goes to stderr on the same screen: it starts a line of its own.
        const unfinished = shown.length ? shown[shown.length - 1] !== LF : offset > 0 && lastShown !== LF;
        out.write(unfinished ? Buffer.concat([shown, Buffer.from('\n')]) : shown);
        done(refusal(what, bad.code, offset + bad.at));
        return;
      }
      if (keep < bytes.length) held = bytes.subarray(keep);
      const ready = bytes.subarray(0, keep);
      offset += ready.length;
      if (ready.length) lastShown = ready[ready.length - 1];
      if (ready.length) out.write(ready, () => done());
      else done();
    },
    final(done) {
      if (held?.[0] === CR) {
        if (offset > 0 && lastShown !== LF) out.write('\n');
        return done(refusal(what, CR, offset));
      }
      if (held) out.write(held, () => done());
      else done();
    },
  });
}

/** The first control character in `bytes[0, end)`, judging the byte at `end` (if any) as what follows. */
function firstControl(bytes: Buffer, end: number): { at: number; code: number } | undefined {
  for (let at = 0; at < end; at++) {
    const byte = bytes[at]!;
    const next = bytes[at + 1];
    if (byte === CR && next !== LF) return { at, code: CR };
    if ((byte < 0x20 && byte !== 0x09 && byte !== LF && byte !== CR) || byte === 0x7f) return { at, code: byte };
    if (byte === C1_LEAD && next !== undefined && next >= 0x80 && next <= 0x9f) return { at, code: next };
  }
  return undefined;
}

function refusal(what: string, code: number, at: number): OciError {
  const point = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return new OciError(
    'UNSUPPORTED',
    `${what} holds a control character (${point} at byte ${at}), which a terminal would act on: printing stopped there. Write it to a file with -o FILE, or print it as it is with -o -`,
  );
}
