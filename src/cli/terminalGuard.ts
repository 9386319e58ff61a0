// Bytes from a registry printed to a terminal: a terminal acts on escape sequences and other control characters
// (retitle the window, write the clipboard, move the cursor back over what was shown), and bidirectional controls
// and invisible characters make what it shows differ from what the file says ("Trojan Source": a line that reads
// as a comment but is code). Content holding one is stopped before that character reaches the terminal: the set is
// the one every other text from a registry is escaped by (isInvisible, untrustedText.ts). Tabs, new lines, a
// carriage return before a new line (Windows text) and a byte order mark as the very first character pass.
// What went before was plain text; a script writing to a file or a pipe is never guarded, and `-o -` prints as is.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isInvisible, OciError } from '../core/oci';

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
const BYTE_ORDER_MARK = 0xfeff;

/**
 * A sink that writes into `out` what holds no terminal control nor invisible character and fails, naming `what` and
 * the first such character, at one (nothing of or after it is written).
 */
export function terminalGuard(out: Writable, what: string): Writable {
  let held: Buffer | undefined;
  let offset = 0;
  let lastShown: number | undefined;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const bytes = held ? Buffer.concat([held, chunk]) : chunk;
      held = undefined;
      // A carriage return or the start of a character at the end is judged with the bytes after it, next chunk.
      const keep = unfinishedTail(bytes);
      const bad = firstActing(bytes, keep, offset);
      if (bad !== undefined) return stop(bytes, bad, done);
      if (keep < bytes.length) held = bytes.subarray(keep);
      const ready = bytes.subarray(0, keep);
      offset += ready.length;
      if (ready.length) lastShown = ready[ready.length - 1];
      if (ready.length) out.write(ready, () => done());
      else done();
    },
    final(done) {
      if (!held) return done();
      // The end of the content follows what was held: a last CR, or a cut-off character's lead byte with whatever
      // came after it (an escape among those bytes is no part of a character, and acts).
      const bad = firstActing(held, held.length, offset);
      if (bad !== undefined) return stop(held, bad, done);
      // A character cut off by the end of the content is no character: the terminal shows a replacement mark.
      out.write(held, () => done());
    },
  });

  /** Writes what comes before `bad` in `bytes` and fails naming it. */
  function stop(bytes: Buffer, bad: { at: number; code: number }, done: (err: Error) => void): void {
    const shown = bytes.subarray(0, bad.at);
    // The refusal goes to stderr on the same screen: it starts a line of its own.
    const unfinished = shown.length ? shown[shown.length - 1] !== LF : offset > 0 && lastShown !== LF;
    out.write(unfinished ? Buffer.concat([shown, Buffer.from('\n')]) : shown);
    done(refusal(what, bad.code, offset + bad.at));
  }
}

/** Bytes in a UTF-8 sequence started by `lead` (1 for ASCII and for a byte that starts none). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Where the bytes that cannot be judged without the next chunk start: a last CR, a character cut off. */
function unfinishedTail(bytes: Buffer): number {
  if (bytes[bytes.length - 1] === CR) return bytes.length - 1;
  for (let at = Math.max(0, bytes.length - 3); at < bytes.length; at++)
    if (at + sequenceLength(bytes[at]!) > bytes.length) return at;
  return bytes.length;
}

/**
 * The first control or invisible character in `bytes[0, end)` (`start` bytes of the content came before), judging
 * the bytes from `end` on as what follows.
 */
function firstActing(bytes: Buffer, end: number, start: number): { at: number; code: number } | undefined {
  for (let at = 0; at < end; at++) {
    const byte = bytes[at]!;
    if (byte < 0x80) {
      if (byte === CR && bytes[at + 1] !== LF) return { at, code: CR };
      if ((byte < 0x20 && byte !== 0x09 && byte !== LF && byte !== CR) || byte === 0x7f) return { at, code: byte };
      continue;
    }
    const length = sequenceLength(byte);
    if (length === 1) continue;
    const char = bytes.toString('utf8', at, at + length);
    const code = char.codePointAt(0)!;
    // Not one character (a malformed sequence): the terminal shows a replacement mark, nothing it acts on.
    if (code === 0xfffd || char.length !== (code > 0xffff ? 2 : 1)) continue;
    if (isInvisible(char) && !(code === BYTE_ORDER_MARK && start + at === 0)) return { at, code };
    at += length - 1;
  }
  return undefined;
}

/** Bidirectional marks, embeddings, overrides and isolates: they reorder what a terminal shows. */
function reorders(code: number): boolean {
  return (
    (code >= 0x200e && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x061c
  );
}

function refusal(what: string, code: number, at: number): OciError {
  const point = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const how = `Write it to a file with -o FILE, or print it as it is with -o -`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
    return new OciError(
      'UNSUPPORTED',
      `${what} holds a control character (${point} at byte ${at}), which a terminal would act on: printing stopped there. ${how}`,
    );
  return new OciError(
    'UNSUPPORTED',
    `${what} holds ${reorders(code) ? 'a bidirectional control character' : 'an invisible character'} (${point} at byte ${at}), which would make the terminal show other text than the file holds (${reorders(code) ? 'reordered' : 'hidden'}, as in "Trojan Source"): printing stopped there. ${how}`,
  );
}
