// JSON of an object holding one long array (a result per tag, thousands of them) printed element by element as they
// come, so that none is kept once printed: the same text printJson prints of the whole object, escaped the same.
import { escapeInvisibleInJson } from '../core/oci';
import type { CliIO } from './command';

export interface StreamedJsonArray<T> {
  add(element: T): void;
  /** Ends the array and the object, with the members that follow the array. */
  close(after: Record<string, unknown>): void;
}

/** Prints `before`'s members and opens the array `key` (members in the order printJson would print them). */
export function streamedJsonArray<T>(io: CliIO, before: Record<string, unknown>, key: string): StreamedJsonArray<T> {
  let count = 0;
  const write = (text: string) => io.out.write(escapeInvisibleInJson(text));
  write(`{${members(before, ',')}\n  ${JSON.stringify(key)}: [`);
  return {
    add: (element) => write(`${count++ ? ',' : ''}\n    ${JSON.stringify(element, null, 2).replace(/\n/g, '\n    ')}`),
    close: (after) =>
      write(`${count ? '\n  ]' : ']'}${Object.keys(after).length ? `,${members(after, '')}` : ''}\n}\n`),
  };
}

/** An object's members as JSON.stringify(…, null, 2) prints them inside its braces, each line indented by two. */
function members(value: Record<string, unknown>, separator: string): string {
  const text = JSON.stringify(value, null, 2);
  return text === '{}' ? '' : `${text.slice(1, -2)}${separator}`;
}
