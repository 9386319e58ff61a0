// Warnings a registry attaches to any answer, for the user to see (distribution-spec: `Warning: 299 - "<text>"`,
// at most 4096 bytes of warning data per response; clients show them unobtrusively and once). A deprecation
// notice or "your token expires soon" is the usual content. Other shapes are not the spec's and are ignored; the
// text is the registry's, so whoever shows it shows it through the untrusted-text rule.

/**
 * Who hears about a warning: the CLI prints it on stderr, the editor logs it and shows a notification. `ours` marks
 * one of Stowage's own about this registry (a clean-up that failed after a write succeeded), not the registry's words.
 */
export type RegistryWarningHandler = (warning: { registry: string; text: string; ours?: true }) => void;

export const MAX_WARNING_BYTES = 4096;

/** One `299 - "quoted text"` of a (comma-separated) Warning field, with RFC 9110 quoted-pairs. */
const WARNING = /^\s*299\s+-\s+"((?:[^"\\]|\\.)*)"\s*(?:,|$)/s;

/** The texts of the spec-shaped warnings in a response's Warning headers, the first 4096 bytes of them only. */
export function parseWarningHeaders(value: string | string[] | undefined): string[] {
  const fields = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const texts: string[] = [];
  let budget = MAX_WARNING_BYTES;
  for (const field of fields) {
    budget -= Buffer.byteLength(field);
    if (budget < 0) break;
    let rest = field;
    for (let match = WARNING.exec(rest); match; match = WARNING.exec(rest)) {
      const text = match[1]!.replace(/\\(.)/gs, '$1');
      if (text.trim()) texts.push(text);
      rest = rest.slice(match[0].length);
    }
  }
  return texts;
}

/** Reports each distinct warning of one registry once, and at most `limit` of them (a registry cannot flood). */
export class WarningReporter {
  private readonly seen = new Set<string>();

  constructor(
    private readonly registry: string,
    private readonly handler: RegistryWarningHandler | undefined,
    private readonly limit = 20,
  ) {}

  report(header: string | string[] | undefined): void {
    if (!this.handler || header === undefined) return;
    for (const text of parseWarningHeaders(header)) this.once(text, false);
  }

  /** A warning of Stowage's own about this registry, under the same once-each rule. */
  reportOurs(text: string): void {
    if (this.handler) this.once(text, true);
  }

  private once(text: string, ours: boolean): void {
    const key = `${ours ? 'ours' : 'theirs'}:${text}`;
    if (this.seen.has(key) || this.seen.size >= this.limit) return;
    this.seen.add(key);
    this.handler!(ours ? { registry: this.registry, text, ours } : { registry: this.registry, text });
  }
}
