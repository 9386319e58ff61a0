// The engine's problems are clauses ("the tag is empty") so that they compose into longer messages; shown alone in
// an input box or a notification they read as sentences.

/** `text` with its first letter in upper case; undefined stays undefined (no problem). */
export function sentence(text: string | undefined): string | undefined {
  return text && text.charAt(0).toUpperCase() + text.slice(1);
}
