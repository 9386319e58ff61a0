// The one place bytes become lint text. JSON exchanged between systems must be UTF-8 (RFC 8259, section 8.1);
// decoding replaces invalid bytes with U+FFFD silently, so they are reported here, at the first bad byte.
import { Buffer, isUtf8 } from 'node:buffer';
import { getLocation } from 'jsonc-parser';
import type { Problem } from './problem';

/** Text decoded from bytes, with what the decoding found; every linter entry point accepts it for text. */
export interface DecodedDocument {
  text: string;
  problems: Problem[];
}

export function decodeDocument(bytes: Uint8Array): DecodedDocument {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  // The native check costs little next to decoding; the byte-by-byte search runs only on invalid input.
  if (isUtf8(buffer)) return { text, problems: [] };
  const byteOffset = firstInvalidByte(buffer);
  // Everything before the first bad byte is valid, so it decodes to exactly the text before its U+FFFD.
  const offset = buffer.subarray(0, byteOffset).toString('utf8').length;
  const shown = [...buffer.subarray(byteOffset, byteOffset + 4)]
    .map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join(' ');
  return {
    text,
    problems: [
      {
        severity: 'error',
        code: 'utf8-invalid',
        message:
          `Not valid UTF-8 at byte offset ${byteOffset} (${shown}): JSON must be UTF-8 (RFC 8259), and readers either refuse ` +
          'the document or read other text than was written (each bad sequence becomes U+FFFD). Save the file as UTF-8.',
        path: getLocation(text, offset).path,
        offset,
        length: 1,
      },
    ],
  };
}

/** The offset of the first byte that starts no well-formed UTF-8 sequence (Unicode table 3-7); -1 when none. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

const inRange = (value: number | undefined, low: number, high: number): boolean =>
  value !== undefined && value >= low && value <= high;

/** The length of the well-formed multi-byte sequence at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  const [b1, b2, b3] = [bytes[i + 1], bytes[i + 2], bytes[i + 3]];
  const continuation = (value: number | undefined) => inRange(value, 0x80, 0xbf);
  if (inRange(lead, 0xc2, 0xdf)) return continuation(b1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    // E0 excludes overlong forms, ED the UTF-16 surrogates.
    const second = lead === 0xe0 ? inRange(b1, 0xa0, 0xbf) : lead === 0xed ? inRange(b1, 0x80, 0x9f) : continuation(b1);
    return second && continuation(b2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    // F0 excludes overlong forms, F4 code points past U+10FFFF.
    const second = lead === 0xf0 ? inRange(b1, 0x90, 0xbf) : lead === 0xf4 ? inRange(b1, 0x80, 0x8f) : continuation(b1);
    return second && continuation(b2) && continuation(b3) ? 4 : 0;
  }
  return 0; // a continuation byte without a lead, C0/C1 (overlong), or F5-FF
}
