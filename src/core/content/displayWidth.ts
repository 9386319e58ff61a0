// How many terminal columns text takes, for lines that must fit one row (the redrawn progress line), a column (help) or
// a width (the audit report's folded reasons). Counting UTF-16 units or code points made a tag of CJK or emoji overflow
// the row: the terminal wrapped it and every redraw, which clears one row only, left a trail. East Asian Wide and
// Fullwidth characters take 2 columns, combining marks none. Text shown here is already escaped (showInvisible): no
// controls, zero-width or joining characters reach it. get-east-asian-width (Unicode's own table, ~8 KB bundled)
// answers the width of a code point; string-width would add ANSI stripping and grapheme segmentation this escaped text
// does not need.

// An ES module: required (Node loads one since 20.19; the bundles inline it), typed by its own declarations.
const { eastAsianWidth } = require('get-east-asian-width') as typeof import('get-east-asian-width', {
  with: { 'resolution-mode': 'import' },
});

/** Combining marks that take no column of their own (nonspacing and enclosing): drawn over the character before. */
const COMBINING = /^[\p{Mn}\p{Me}]$/u;
/** Text every character of which is one column: most text, measured by its length alone. */
const NARROW = /^[\x20-\x7e]*$/;

function widthOf(char: string): number {
  if (COMBINING.test(char)) return 0;
  return eastAsianWidth(char.codePointAt(0)!);
}

/** The columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += widthOf(char);
  return width;
}

/**
 * Most combining marks kept on one character, as Unicode's stream-safe text format allows (UAX #15: 30 in a row).
 * A tag may stack thousands on one letter: each is no column, so the row never filled, and the whole tag went to the
 * terminal on every redraw.
 */
export const MAX_MARKS_IN_A_ROW = 30;

/**
 * `text` cut to at most `columns` columns, ending in "…" when cut; a wide character that would straddle the edge
 * is left out with the rest, and so is a run of more than MAX_MARKS_IN_A_ROW combining marks. One walk that stops at
 * the edge: the progress line is cut on every redraw, and a layout's tag may be megabytes (a whole count of a 1 MiB
 * tag took 80–280 ms, each 100 ms redraw).
 */
export function cutToWidth(text: string, columns: number): string {
  const room = columns - 1; // for the "…"
  let width = 0;
  let marks = 0;
  let end = 0; // of what fits with the "…"
  let at = 0;
  for (const char of text) {
    const charWidth = widthOf(char);
    marks = charWidth === 0 ? marks + 1 : 0;
    width += charWidth;
    if (width > columns || marks > MAX_MARKS_IN_A_ROW) return `${text.slice(0, end)}…`;
    at += char.length;
    if (width <= room) end = at;
  }
  return text;
}

/** `text` followed by spaces up to `columns` columns (String.padEnd counts UTF-16 units). */
export function padToWidth(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}
