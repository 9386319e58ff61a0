// Input generators and mutators shared by the fuzz targets: random text biased towards the characters that
// break parsers (separators, quotes, escapes, control and bidi characters, long runs), and byte-level mutation.
import type { Prng } from './prng';

const SPECIAL = [
  '/',
  ':',
  '@',
  '.',
  '..',
  '-',
  '_',
  '+',
  '"',
  '\\',
  ',',
  ';',
  '=',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u001b',
  '\u202e',
  '\u2066',
  '\u00e9',
  '\ud83d\ude00',
  '\ud800',
  '%',
  '#',
  '?',
  '[',
  ']',
  '{',
  '}',
  '*',
  'sha256',
  'sha512',
  'oci:',
  'docker://',
  'C:',
  'localhost',
  '127.0.0.1:5000',
];
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomText(rng: Prng, maxPieces = 24, alphabet: readonly string[] = SPECIAL): string {
  const pieces = rng.int(maxPieces + 1);
  let out = '';
  for (let i = 0; i < pieces; i++) {
    const r = rng.next();
    if (r < 0.45) out += ALNUM[rng.int(ALNUM.length)]!.repeat(1 + rng.int(rng.bool(0.05) ? 300 : 8));
    else if (r < 0.9) out += rng.pick(alphabet);
    else out += String.fromCharCode(rng.int(0x3000));
  }
  return out;
}

/** One to four edits of `text`: insert, delete, replace, duplicate a slice, or splice in special text. */
export function mutateText(rng: Prng, text: string, alphabet: readonly string[] = SPECIAL): string {
  let out = text;
  const edits = 1 + rng.int(4);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(out.length + 1);
    const len = rng.int(Math.min(16, out.length - at) + 1);
    switch (rng.int(5)) {
      case 0:
        out = out.slice(0, at) + rng.pick(alphabet) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + len);
        break;
      case 2:
        out = out.slice(0, at) + randomText(rng, 3, alphabet) + out.slice(at + len);
        break;
      case 3:
        out = out.slice(0, at) + out.slice(at, at + len).repeat(2 + rng.int(4)) + out.slice(at + len);
        break;
      default:
        out = out.slice(0, at) + String.fromCharCode(rng.int(0x10000)) + out.slice(at + 1);
    }
  }
  return out;
}

/** Byte-level mutation: flips, overwrites with boundary values, truncation, slice duplication. */
export function mutateBytes(rng: Prng, input: Buffer): Buffer {
  let out = Buffer.from(input);
  const edits = 1 + rng.int(6);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = rng.int(out.length);
    switch (rng.int(5)) {
      case 0:
        out[at] = out[at]! ^ (1 << rng.int(8));
        break;
      case 1:
        out[at] = rng.pick([0, 0x20, 0x2f, 0x30, 0x37, 0x7f, 0x80, 0xff]);
        break;
      case 2:
        out = out.subarray(0, at);
        break;
      case 3: {
        const len = Math.min(1 + rng.int(1024), out.length - at);
        out = Buffer.concat([out.subarray(0, at + len), out.subarray(at, at + len), out.subarray(at + len)]);
        break;
      }
      default:
        rng.bytes(Math.min(1 + rng.int(16), out.length - at)).copy(out, at);
    }
  }
  return out;
}
