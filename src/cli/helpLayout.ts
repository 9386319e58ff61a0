// Help laid out for where it is read: a terminal's width (or $COLUMNS), 120 columns into a file or pipe. Option
// descriptions run up to 260 characters; unwrapped, an 80- or 100-column terminal folded them back to column 0,
// under the flags, where they no longer read as a table. Widths are display columns (displayWidth.ts): a usage
// error may quote a name typed in CJK.
import type { Writable } from 'node:stream';
import { displayWidth, padToWidth } from '../core/content';
import { foldWords } from '../core/oci';

/** Lines of help written into a file or a pipe (the width of this project's own prose). */
export const PLAIN_WIDTH = 120;
/** Narrower than this, wrapping leaves too few columns per line to read. */
const MIN_WIDTH = 60;
/** A flag longer than this gets its description on the lines below it, so one long flag cannot push every description right. */
const MAX_LEFT = 34;

/** The width help is laid out for: $COLUMNS when set, else a terminal's columns, else PLAIN_WIDTH. */
export function helpWidth(out: Writable, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  const { isTTY, columns } = out as Writable & { isTTY?: boolean; columns?: number };
  const terminal = isTTY ? columns : undefined;
  const width = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (terminal ?? PLAIN_WIDTH);
  return Math.max(MIN_WIDTH, width);
}

/**
 * `text` broken at spaces into lines of at most `width` columns (a word longer than a line stays whole), each
 * line after the first indented by `indent` spaces; the first starts where the caller's text already is (`used`).
 */
export function wrapWords(text: string, width: number, indent: number, used = 0): string {
  return wrapTokens(text.split(' '), width, indent, used);
}

function wrapTokens(tokens: readonly string[], width: number, indent: number, used: number): string {
  // A group too long for any line is broken at its own spaces, a word at its commas (a JSON example), rather than
  // left running past the edge.
  const room = width - indent;
  const fitting = tokens
    .flatMap((t) => (displayWidth(t) > room ? t.split(' ') : [t]))
    .flatMap((t) => (displayWidth(t) > room ? t.split(/(?<=,)/) : [t]));
  return foldWords(fitting, width, { indent, used, measure: displayWidth }).join(`\n${' '.repeat(indent)}`);
}

/** A usage line's words, a bracketed group (`[--key KEY.pem]`, `<predicate type>`) kept as one. */
function usageTokens(line: string): string[] {
  const tokens: string[] = [];
  let depth = 0;
  let token = '';
  for (const char of line) {
    if (char === '[' || char === '<') depth++;
    else if ((char === ']' || char === '>') && depth > 0) depth--;
    if (char === ' ' && depth === 0) {
      tokens.push(token);
      token = '';
    } else token += char;
  }
  tokens.push(token);
  return tokens;
}

/**
 * Usage lines (alternatives on lines of their own) wrapped within `width` between bracketed groups, continuations
 * at `indent`.
 */
export function wrapUsage(text: string, width: number, indent: number): string {
  return wrapEachLine(text, (line, lead) => wrapTokens(usageTokens(line), width, indent, lead));
}

/** Text whose own line breaks are kept, each line wrapped within `width` under its own leading spaces. */
export function wrapParagraph(text: string, width: number): string {
  return wrapEachLine(text, (line, lead) => wrapWords(line, width, lead, lead));
}

/** Each line of `text` wrapped by `wrap` (given the line without its leading spaces, and how many there were). */
function wrapEachLine(text: string, wrap: (line: string, lead: number) => string): string {
  return text
    .split('\n')
    .map((line) => {
      const lead = line.length - line.trimStart().length;
      return ' '.repeat(lead) + wrap(line.trimStart(), lead);
    })
    .join('\n');
}

/** Rows of `term  description`, indented by two, descriptions in one column and wrapped within `width`. */
export function twoColumns(rows: readonly (readonly [string, string])[], width: number): string {
  const left = Math.min(MAX_LEFT, Math.max(0, ...rows.map(([term]) => displayWidth(term))));
  const column = 2 + left + 2;
  return rows
    .map(([term, description]) => {
      const text = wrapWords(description, width, column, column);
      if (displayWidth(term) <= left) return `  ${padToWidth(term, left)}  ${text}`;
      return `  ${term}\n${' '.repeat(column)}${text}`;
    })
    .join('\n');
}
