// Builds quick-fix edits that keep the document's own formatting (compact stays compact).
import { modify, type FormattingOptions } from 'jsonc-parser';
import type { Locator } from './positions';
import type { Fix, JsonPath } from './problem';

/** The indentation the document already uses, or undefined for one-line documents. */
export function formattingOf(text: string): FormattingOptions | undefined {
  const firstBreak = text.indexOf('\n');
  if (firstBreak < 0) return undefined;
  const eol = text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

export function replaceValueFix(title: string, locator: Locator, path: JsonPath, newValue: unknown): Fix | undefined {
  const node = locator.node(path);
  if (!node) return undefined;
  return { title, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(newValue) }] };
}

/** Sets (adds or replaces) the value at `path`; new properties go first in their object, where people look. */
export function setValueFix(title: string, text: string, path: JsonPath, newValue: unknown, first = true): Fix {
  const edits = modify(text, path, newValue, {
    formattingOptions: formattingOf(text),
    getInsertionIndex: first ? () => 0 : undefined,
  });
  return { title, edits: edits.map((e) => ({ offset: e.offset, length: e.length, newText: e.content })) };
}
