// The one rule for showing text that a registry, layout, archive or certificate wrote (DESIGN habit 15): it may be
// read, never act. Pure and free of Node, DOM and editor APIs, so the engine, the CLI, the editor layer and the
// webview bundle all share it (tested in test/unit/untrustedText.test.ts).

/**
 * Characters that act or hide instead of showing: C0 and C1 controls (terminal escape sequences, new lines,
 * carriage returns), DEL, the soft hyphen, the Arabic letter mark and every bidirectional mark, embedding,
 * override and isolate (they reorder what is shown, as in "Trojan Source"), zero-width and invisible characters
 * (zero-width space/joiners, word joiner, invisible operators, BOM, Hangul and Mongolian fillers), line and
 * paragraph separators, interlinear annotations, and Unicode tag characters (invisible copies of ASCII).
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- each is matched alone: that is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/** Whether the one character `c` is one of those that act or hide instead of showing (the set above). */
export function isInvisible(c: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.exec(c);
  return found?.index === 0 && found[0].length === c.length;
}

/** How an invisible character is shown: its code point, e.g. "⟨U+202E⟩". */
function codePoint(c: string): string {
  return `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * Every invisible or acting character shown as its code point instead. `keep` lists characters the caller
 * itself uses as layout (a terminal's "\n" and "\t"), which then pass unchanged.
 */
export function showInvisible(text: string, keep = ''): string {
  return text.replace(INVISIBLE, (c) => (keep.includes(c) ? c : codePoint(c)));
}

/**
 * JSON text with every invisible or acting character inside its strings written as a `\uXXXX` escape: the same
 * JSON to a parser, nothing a terminal acts on or that reorders what it shows (JSON.stringify escapes C0 controls
 * only). Outside strings, JSON.stringify writes only new lines and spaces, which pass.
 */
export function escapeInvisibleInJson(json: string): string {
  return json.replace(INVISIBLE, (c) =>
    c === '\n'
      ? c
      : [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}

/** Longest untrusted text shown in one place; a registry's error body could otherwise fill a notification. */
export const MAX_SHOWN_LENGTH = 1000;

/**
 * Longest detail of one value kept or shown (the tree's descriptions, the graph's spoken names): a row shows a few
 * dozen characters of it. An annotation or artifact type may be megabytes (a registry's manifest is up to 4 MiB),
 * and the tree keeps thousands of descriptions.
 */
export const MAX_DETAIL_LENGTH = 256;

export interface UntrustedTextOptions {
  /** Keep "\n" as a line break (a modal's detail, a tooltip); by default it is shown as ⟨U+000A⟩. */
  multiline?: boolean;
  maxLength?: number;
}

/**
 * The one way untrusted text reaches a plain-text surface of the editor (notification, modal, tree label,
 * description or tooltip, quick pick, progress title): invisible characters shown as code points, and link
 * syntax broken so nothing can turn into a link. VS Code turns `[label](command:…)` in notifications, modals,
 * quick input messages and pick details into clickable links that run the command; "](" is the only way to form
 * one, so a space is put between its brackets ("] ("), which neither VS Code's link parser nor markdown accept.
 * Idempotent: escaping twice changes nothing.
 */
export function untrustedText(text: string, options: UntrustedTextOptions = {}): string {
  const max = options.maxLength ?? MAX_SHOWN_LENGTH;
  const cut = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return showInvisible(cut, options.multiline ? '\n' : '').replace(/\](?=\()/g, '] ');
}

/**
 * `$(name)` and `$(name~modifier)`: what VS Code's quick pick labels, descriptions and details render as an icon
 * (the pattern of its iconLabels.ts: names of letters, digits and "-", a modifier of letters).
 */
const ICON_SYNTAX = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/**
 * Untrusted text for a surface that renders `$(name)` as an icon (quick pick item labels, descriptions and
 * details): `untrustedText`, then a backslash before each icon reference. VS Code's label renderer
 * (renderLabelWithIcons) shows "\$(name)" as the text "$(name)", taking exactly one backslash, so a hostile tag
 * "$(warning) trusted" reads as written, and one already holding "\$(x)" still shows its own backslash. Icons
 * of Stowage's own go in the item's iconPath, never in its text. Apply once, where the text is shown (a second
 * pass adds a backslash that would show).
 */
export function untrustedLabel(text: string, options: UntrustedTextOptions = {}): string {
  return untrustedText(text, options).replace(ICON_SYNTAX, '\\$&');
}

/** ASCII punctuation: CommonMark lets each be escaped with "\", which makes it plain text. */
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * Untrusted text as markdown source that renders as exactly that text (after `untrustedText`): every ASCII
 * punctuation character is backslash-escaped, so no link, autolink ("<https://…>", bare "https://…" or
 * "www.…", e-mail), raw HTML, emphasis, heading, table or entity can form.
 */
export function untrustedMarkdown(text: string): string {
  return untrustedText(text).replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/**
 * Untrusted text as a markdown code span (shown in monospace): inside one, markdown forms no link, HTML or
 * escape. The fence is one backtick longer than any run of backticks in the text, so the text cannot close it.
 */
export function untrustedCode(text: string): string {
  const shown = untrustedText(text);
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // A space on each side keeps a leading or trailing backtick from joining the fence (CommonMark strips one).
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}
