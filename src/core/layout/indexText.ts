// index.json as text in pieces of about 64 KiB, the same bytes JSON.stringify(index) gives: a backup of 10,000
// signed tags writes a 4.9 MB index.json about once a second while it stages, and the whole string with its UTF-8
// copy (writeFile converts a string at once) took ~10 MB at each write, on top of everything the run holds.
import type { ImageIndex } from '../oci';

const PIECE = 64 * 1024;

/** The text of `index` in pieces; `counted.bytes` holds the UTF-8 bytes handed out so far. */
export function* indexTextPieces(index: ImageIndex, counted: { bytes: number }): Generator<string> {
  let piece = '';
  const add = function* (text: string): Generator<string> {
    piece += text;
    if (piece.length >= PIECE) {
      counted.bytes += Buffer.byteLength(piece);
      yield piece;
      piece = '';
    }
  };
  let first = true;
  yield* add('{');
  for (const [key, value] of Object.entries(index)) {
    // As JSON.stringify: a member whose value has no JSON form is left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    yield* add(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (key !== 'manifests' || !Array.isArray(value)) {
      yield* add(JSON.stringify(value));
      continue;
    }
    yield* add('[');
    for (let i = 0; i < value.length; i++) yield* add(`${i ? ',' : ''}${JSON.stringify(value[i]) ?? 'null'}`);
    yield* add(']');
  }
  yield* add('}');
  if (piece) {
    counted.bytes += Buffer.byteLength(piece);
    yield piece;
  }
}
