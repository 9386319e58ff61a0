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

/**
 * Sets (adds or replaces) the value at `path`, formatted like the rest of the document. A new property goes right
 * after the first of `after` that exists (schemaVersion, mediaType, artifactType read best in that order), else
 * first. Parses the whole text: for document-level fixes, not per array item.
 */
export function setValueFix(
  title: string,
  text: string,
  path: JsonPath,
  newValue: unknown,
  after: readonly string[] = [],
): Fix {
  const edits = modify(text, path, newValue, {
    formattingOptions: formattingOf(text),
    getInsertionIndex: (properties) => {
      for (const name of after) {
        const index = properties.indexOf(name);
        if (index >= 0) return index + 1;
      }
      return 0;
    },
  });
  return { title, edits: edits.map((e) => ({ offset: e.offset, length: e.length, newText: e.content })) };
}
