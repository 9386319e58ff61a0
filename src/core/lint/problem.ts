// What the linter reports: a problem at a JSON path and a text range, with an optional machine-applicable fix.

export type Severity = 'error' | 'warning' | 'info';

/** JSON path from the document root: property names and array indexes. */
export type JsonPath = (string | number)[];

/** Replace `length` characters at `offset` with `newText` (insertions have length 0). */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

/** A quick fix: non-overlapping edits against the original text, applied together. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Problem {
  severity: Severity;
  /** Stable identifier of the rule, e.g. 'digest-length'; the README in this folder lists them. */
  code: string;
  message: string;
  path: JsonPath;
  offset: number;
  length: number;
  fix?: Fix;
}

/** Applies a fix's edits to `text` (from the last edit backwards, so offsets stay valid). */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.offset) + edit.newText + out.slice(edit.offset + edit.length);
  return out;
}
