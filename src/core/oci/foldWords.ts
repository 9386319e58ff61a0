// Words folded into lines of a given width: the CLI's help (measured in display columns) and the audit report's
// long result lines (a failed signature's reasons ran to 250 columns) break text the same way.

/** How wide a piece of text shows; by default one column per UTF-16 unit. */
export type Measure = (text: string) => number;

/**
 * `words` joined by spaces into lines of at most `width` columns (a word longer than a line stays whole on a line
 * of its own); the first line has `width - used` columns left, later ones `width - indent` (the caller indents).
 */
export function foldWords(
  words: readonly string[],
  width: number,
  options: { indent?: number; used?: number; measure?: Measure } = {},
): string[] {
  const { indent = 0, used = 0, measure = (t: string) => t.length } = options;
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  let left = width - used;
  for (const word of words.filter((w) => w !== '')) {
    const wordWidth = measure(word);
    if (line && lineWidth + 1 + wordWidth > left) {
      lines.push(line);
      [line, lineWidth] = [word, wordWidth];
      left = width - indent;
    } else [line, lineWidth] = line ? [`${line} ${word}`, lineWidth + 1 + wordWidth] : [word, wordWidth];
  }
  lines.push(line);
  return lines;
}
