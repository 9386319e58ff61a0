// Annotations typed as text into one input box: "key=value" entries separated by new lines, "," or ";". The
// editor's push and attach prompts share this one grammar. A "," or ";" separates entries only when "key=" (or
// the end of the line) follows, so values keep their commas and semicolons: "description=red, green, blue".
// Pure (unit-tested).

export interface AnnotationText {
  annotations: Record<string, string>;
  /** Why the text is not a list of annotations (naming the entry at fault); annotations are then empty. */
  problem?: string;
}

/** What may follow a separator: more separators or spaces, then a key (no spaces) and "=", or nothing. */
const STARTS_ENTRY = /^[\s,;]*(?:[^\s,;=]*\s*=|$)/;

export function parseAnnotationText(text: string): AnnotationText {
  // A Map, then fromEntries: keys like "__proto__" become plain entries instead of touching a prototype.
  const found = new Map<string, string>();
  for (const entry of splitEntries(text)) {
    const eq = entry.indexOf('=');
    if (eq < 0) return { annotations: {}, problem: `"${entry}" is not key=value` };
    const key = entry.slice(0, eq).trim();
    if (!key) return { annotations: {}, problem: `"${entry}" has an empty key` };
    if (/\s/.test(key)) return { annotations: {}, problem: `the key "${key}" contains spaces` };
    if (found.has(key)) return { annotations: {}, problem: `"${key}" is given twice` };
    found.set(key, entry.slice(eq + 1).trim());
  }
  return { annotations: Object.fromEntries(found) };
}

function splitEntries(text: string): string[] {
  const entries: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    let start = 0;
    for (let i = 0; i < line.length; i++) {
      if ((line[i] === ',' || line[i] === ';') && STARTS_ENTRY.test(line.slice(i + 1))) {
        entries.push(line.slice(start, i));
        start = i + 1;
      }
    }
    entries.push(line.slice(start));
  }
  return entries.map((e) => e.trim()).filter(Boolean);
}
