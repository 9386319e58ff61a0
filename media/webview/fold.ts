// How the details panel folds a long registry value (pure, no DOM, so the rule is tested in plain mocha): its start
// and a count, shown behind a "show all" disclosure by details.ts.
import { showInvisible } from '../../src/core/oci';

/** Characters of an annotation value shown before "show all" (a 10 KB value was a wall hiding the descriptor). */
export const ANNOTATION_SHOWN = 300;
/** Characters of the descriptor JSON shown before "show all" (it repeats every annotation). */
export const DESCRIPTOR_SHOWN = 2000;

export interface ShownValue {
  /** The whole value as shown: invisible and acting characters as their code points (⟨U+202E⟩). */
  whole: string;
  /** Its first characters as shown, when the whole is longer than the fold allows; else undefined. */
  start?: string;
  /** How many characters the value has: its own, not the longer text its invisible ones are shown as. */
  characters: number;
}

/**
 * `value` as shown, cut to at most `shown` characters on screen when longer. The cut falls between the value's
 * characters: never inside a surrogate pair, never inside a code point shown for an invisible one (a value of bidi
 * overrides shows eight characters for each, and its count must not grow eightfold). `keep` lists characters the
 * caller uses as layout ("\n" of the descriptor's JSON), which pass unchanged.
 */
export function foldValue(value: string, shown: number, keep = ''): ShownValue {
  const whole = showInvisible(value, keep);
  const characters = codePoints(value);
  if (codePoints(whole) <= shown) return { whole, characters };
  let start = '';
  let used = 0;
  for (const character of value) {
    const piece = showInvisible(character, keep);
    const width = codePoints(piece);
    if (used + width > shown) break;
    start += piece;
    used += width;
  }
  return { whole, start, characters };
}

/** An annotation value as the details show it. */
export function shownAnnotation(value: string): ShownValue {
  return foldValue(value, ANNOTATION_SHOWN);
}

/**
 * The descriptor's JSON as the details show it: its own line breaks kept, every other invisible character shown.
 * Only real line breaks are kept: an annotation holding the text "⟨U+000A⟩" stays that text, never a new line that
 * could pass for a field of the descriptor.
 */
export function shownDescriptor(json: string): ShownValue {
  return foldValue(json, DESCRIPTOR_SHOWN, '\n');
}

/** Characters (code points) of `text`, without an array of them (a value may be megabytes). */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A low surrogate after a high one is the second half of one character.
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const before = text.charCodeAt(i - 1);
      if (before >= 0xd800 && before <= 0xdbff) continue;
    }
    count++;
  }
  return count;
}
