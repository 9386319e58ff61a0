// The one sanitiser for untrusted text (src/core/untrustedText.ts): every dangerous character class is shown as a
// code point, no link syntax survives for VS Code's linked-text parser, and markdown made from it is plain text.
import * as assert from 'node:assert/strict';
import { printable } from '../../src/core/oci/errors';
import { terminalLines } from '../../src/cli/command';
import {
  escapeInvisibleInJson,
  MAX_SHOWN_LENGTH,
  showInvisible,
  untrustedCode,
  untrustedLabel,
  untrustedMarkdown,
  untrustedText,
} from '../../src/core/oci/untrustedText';
import { visible } from '../../media/webview/dom';
import { COMMAND_LINK, HOSTILE_CHARACTERS, HOSTILE_MARKUP, HOSTILE_TEXTS } from '../fixtures/hostile/hostileText';
import { recordFigures } from '../helpers/figures';

/** VS Code 1.139's own parser of links in notifications, modals and quick input messages (linkedText.ts). */
const VSCODE_LINKED_TEXT = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/**
 * VS Code 1.139's rendering of `$(name)` in quick pick labels, descriptions and details (iconLabels.ts,
 * renderLabelWithIcons): the text it shows, with each icon as "<icon:name>"; "\\$(name)" shows as "$(name)".
 */
function renderLabelWithIcons(text: string): string {
  return text.replace(
    /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g,
    (_match, escaped: string | undefined, name: string) => (escaped ? `$(${name})` : `<icon:${name}>`),
  );
}

/** Characters that must never reach a surface as themselves. */
const ACTING =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\u3164\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;

/** Whether every ASCII punctuation character of markdown source is backslash-escaped (CommonMark: then literal). */
function everyPunctuationEscaped(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      if (!/[!-/:-@[-`{-~]/.test(source[i + 1] ?? '')) return false;
      i++;
    } else if (/[!-/:-@[-`{-~]/.test(source[i]!)) return false;
  }
  return true;
}

describe('untrusted text (one sanitiser for every surface)', () => {
  for (const { name, text } of HOSTILE_CHARACTERS) {
    it(`shows ${name} as code points, in the editor, the webview and messages alike`, () => {
      const shown = untrustedText(text);
      assert.doesNotMatch(shown, ACTING);
      assert.match(shown, /⟨U\+[0-9A-F]{4,5}⟩/);
      assert.equal(visible(text), showInvisible(text), 'the webview uses the same rule');
      assert.doesNotMatch(printable(text), ACTING, 'printable uses the same rule');
    });
  }

  it('shows a line break inside a CLI line as a code point: only the breaks between the lines given act', () => {
    assert.equal(
      terminalLines(['x/y\n└── forged\u001b[2J', 'Digest: sha256:0']),
      'x/y⟨U+000A⟩└── forged⟨U+001B⟩[2J\nDigest: sha256:0\n',
    );
    assert.equal(terminalLines('one\rtwo'), 'one⟨U+000D⟩two\n');
    assert.equal(terminalLines([]), '');
  });

  it('catches what printable() used to miss: U+061C, U+200B–U+200D and U+FEFF', () => {
    assert.equal(printable('a\u061cb\u200bc\u200cd\u200de\ufeff'), 'a⟨U+061C⟩b⟨U+200B⟩c⟨U+200C⟩d⟨U+200D⟩e⟨U+FEFF⟩');
  });

  it('keeps ordinary text, other scripts and emoji as they are', () => {
    for (const text of [
      'registry.example:5000/team/app:v1.2.3',
      'application/vnd.oci.image.manifest.v1+json',
      'Grüße — 日本語 — עברית — 👍🏽',
      'sha256:0123abcd',
    ]) {
      assert.equal(untrustedText(text), text);
    }
  });

  for (const { name, text } of HOSTILE_MARKUP) {
    it(`leaves no link for VS Code's linked-text parser in ${name}`, () => {
      const shown = untrustedText(text);
      assert.equal([...shown.matchAll(VSCODE_LINKED_TEXT)].length, 0, shown);
      assert.doesNotMatch(shown, /\]\(/);
    });

    it(`makes ${name} plain text in markdown: every punctuation escaped, or inside a code span it cannot close`, () => {
      const markdown = untrustedMarkdown(text);
      assert.ok(everyPunctuationEscaped(markdown), markdown);
      const code = untrustedCode(text);
      const fence = /^`+/.exec(code)![0];
      assert.ok(code.endsWith(fence), code);
      const inside = code.slice(fence.length, code.length - fence.length);
      assert.ok(!inside.includes(fence), `the text closes the fence early: ${code}`);
      assert.ok(!/^`|`$/.test(inside), `a backtick joins the fence: ${code}`);
    });
  }

  it('shows the command link of issue 14 as readable text', () => {
    assert.equal(
      untrustedText(COMMAND_LINK),
      '[Log In…] (command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20pwned%22%7D)',
    );
  });

  it('keeps new lines only where a surface has lines (modal detail, tooltip)', () => {
    assert.equal(untrustedText('a\nb'), 'a⟨U+000A⟩b');
    assert.equal(untrustedText('a\nb\r', { multiline: true }), 'a\nb⟨U+000D⟩');
  });

  it('quick pick texts: icon syntax from a registry shows as written, never as an icon', () => {
    const hostile = [
      '$(warning) trusted',
      '$(pass-filled) verified by $(shield)',
      '$(sync~spin) working',
      '\\$(x) already escaped',
      '\\\\$(x) two backslashes',
      '$(not an icon) $() $(',
      'a$(b)$(c)',
      'v1.2.3',
    ];
    for (const text of hostile) {
      const shown = renderLabelWithIcons(untrustedLabel(text));
      assert.equal(shown, untrustedText(text), `${text} → ${untrustedLabel(text)}`);
      assert.doesNotMatch(shown, /<icon:/);
    }
    assert.equal(untrustedLabel('$(warning) trusted'), '\\$(warning) trusted');
    assert.equal(
      renderLabelWithIcons('$(warning) trusted'),
      '<icon:warning> trusted',
      'the renderer as VS Code has it',
    );
    // Still the text rule underneath: links broken, invisible characters shown.
    assert.equal(untrustedLabel('[x](command:y)\u202e'), '[x] (command:y)⟨U+202E⟩');
  });

  it('caps the length, and escaping twice changes nothing', () => {
    const long = untrustedText('x'.repeat(5000));
    assert.equal(long.length, MAX_SHOWN_LENGTH);
    assert.ok(long.endsWith('…'));
    for (const { text } of HOSTILE_TEXTS) assert.equal(untrustedText(untrustedText(text)), untrustedText(text));
    assert.equal(untrustedText(long), long);
  });

  after(() => {
    const held = HOSTILE_TEXTS.filter(({ text }) => {
      const shown = untrustedText(text);
      return (
        !ACTING.test(shown) &&
        ![...shown.matchAll(VSCODE_LINKED_TEXT)].length &&
        everyPunctuationEscaped(untrustedMarkdown(text))
      );
    }).length;
    recordFigures('hostile', {
      'hostile text (sanitiser)': {
        tried: HOSTILE_TEXTS.length,
        held,
        detail: `hostile strings (${HOSTILE_CHARACTERS.length} character classes, ${HOSTILE_MARKUP.length} link/HTML/markdown forms) shown as plain text`,
      },
    });
  });
});

describe('escapeInvisibleInJson: JSON output printed to a terminal', () => {
  it('writes every hostile character as an escape, and the JSON parses to the same value', () => {
    for (const { name, text } of HOSTILE_CHARACTERS) {
      const value = { name: text, list: [text, 1] };
      const json = escapeInvisibleInJson(JSON.stringify(value, null, 2));
      assert.equal(showInvisible(json, '\n'), json, `${name}: ${json}`);
      assert.deepEqual(JSON.parse(json), value, name);
    }
  });
});
