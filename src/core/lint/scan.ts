// Finds, in text JSON.parse already accepted, what JSON.parse hides: repeated keys, and numbers written with a
// fraction or exponent (2.0 and 2e0 parse as the integer 2). A quick regex check comes first; the detailed
// character-by-character pass runs only when it finds something, so a large valid document costs little more
// than JSON.parse itself.
import type { JsonPath } from './problem';
import { pathKey } from './paths';

export interface RepeatedKey {
  name: string;
  path: JsonPath;
  offset: number;
  length: number;
}

export interface ScanResult {
  repeatedKeys: RepeatedKey[];
  /** pathKey() of every number written with a fraction or exponent. */
  nonIntegerLiterals: Set<string>;
}

interface Frame {
  isArray: boolean;
  keys: Set<string> | undefined;
  expectKey: boolean;
  pushed: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * `text` must be valid JSON and `value` what JSON.parse made of it. A first pass only counts keys and spots
 * fractions, allocating nothing; the detailed pass (paths, key sets) runs only when that finds something.
 */
export function scanValidJson(text: string, value: unknown): ScanResult {
  const { keys, nonInteger } = countKeys(text);
  if (keys === countProperties(value) && !nonInteger) return { repeatedKeys: [], nonIntegerLiterals: new Set() };
  return detailedScan(text);
}

// Every key's closing quote is followed by a colon. An escaped quote inside a string value can be too
// ({\"x\":1}), so this over-counts at worst: written keys + false matches = parsed properties only when both
// the false matches and the repeated keys are zero.
const KEY_END = /"\s*:/g;
// Numbers follow a key's colon (right after its closing quote), a comma or a bracket. Strings can contain the
// same shape (rarely: a digest's "sha256:3e…" has no quote before its colon); then the detailed pass runs for
// nothing, which costs time but never correctness.
const FRACTION_OR_EXPONENT = /(?:"\s*:|[,[])\s*-?\d+[.eE]/;

/** Keys written in the text (over-counted at worst), and whether any number may have a fraction or exponent. */
function countKeys(text: string): { keys: number; nonInteger: boolean } {
  let keys = 0;
  KEY_END.lastIndex = 0;
  while (KEY_END.exec(text)) keys++;
  return { keys, nonInteger: FRACTION_OR_EXPONENT.test(text) };
}

function countProperties(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countProperties(item);
    return count;
  }
  for (const key in value) count += 1 + countProperties((value as Record<string, unknown>)[key]);
  return count;
}

function detailedScan(text: string): ScanResult {
  const repeatedKeys: RepeatedKey[] = [];
  const nonIntegerLiterals = new Set<string>();
  const frames: Frame[] = [];
  const path: JsonPath = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const isArray = c === 0x5b;
      frames.push({ isArray, keys: isArray ? undefined : new Set(), expectKey: !isArray, pushed: isArray });
      if (isArray) path.push(0);
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (frames.pop()!.pushed) path.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      const frame = frames[frames.length - 1]!;
      if (frame.isArray) (path[path.length - 1] as number)++;
      else frame.expectKey = true;
      i++;
    } else if (c === QUOTE) {
      const start = i;
      let escaped = false;
      i++;
      while (true) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          escaped = true;
          i += 2;
        } else {
          i++;
          if (d === QUOTE) break;
        }
      }
      const frame = frames[frames.length - 1];
      if (frame?.expectKey) {
        frame.expectKey = false;
        const name = escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
        if (frame.pushed) path[path.length - 1] = name;
        else {
          path.push(name);
          frame.pushed = true;
        }
        if (frame.keys!.has(name)) repeatedKeys.push({ name, path: [...path], offset: start, length: i - start });
        else frame.keys!.add(name);
      }
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let integer = true;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 0x2e /* . */ || d === 0x65 /* e */ || d === 0x45 /* E */) integer = false;
        else if (!(d === 0x2d || d === 0x2b || (d >= 0x30 && d <= 0x39))) break;
        i++;
      }
      if (!integer) nonIntegerLiterals.add(pathKey(path));
    } else {
      i++; // whitespace, colon, and the letters of true, false, null
    }
  }
  return { repeatedKeys, nonIntegerLiterals };
}
