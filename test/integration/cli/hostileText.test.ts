// The CLI against a registry whose tags and error messages carry terminal escape sequences (window title, OSC 8
// hyperlink, clear screen) and bidi/zero-width characters: human-readable output shows them as code points and
// holds no ESC byte (through `--format go-template` too); `--format json` keeps the exact strings.
import * as assert from 'node:assert/strict';
import { startHostileTextRegistry, type HostileTextRegistry } from '../../fixtures/hostileTextRegistry';
import { HOSTILE_CHARACTERS, COMMAND_LINK } from '../../fixtures/hostile/hostileText';
import { recordFigures } from '../../helpers/figures';
import { cli, cliOk } from '../../helpers/runCli';

/** Bytes that make a terminal act: ESC, CSI, OSC, BEL, CR, backspace, and the bidi overrides that reorder a line. */
const ACTING =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;

describe('CLI output of hostile registry text', function () {
  this.timeout(60_000);
  const tags = HOSTILE_CHARACTERS.map(({ text }) => text);
  const denyMessage = `\u001b]0;owned\u0007\u001b[2J${COMMAND_LINK}\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\`;
  let registry: HostileTextRegistry;
  let shownSafely = 0;

  before(async () => {
    registry = await startHostileTextRegistry({ denyMessage, tagsRepository: 'hostile/tags', tags });
  });
  after(async () => {
    await registry?.stop();
    recordFigures('hostile', {
      'hostile text (CLI)': {
        tried: 2 * tags.length + 1,
        held: shownSafely,
        detail:
          'tags and a registry error with escape sequences, bidi and zero-width characters: shown as code points by the CLI (text and --format go-template), exact in --format json',
      },
    });
  });

  it('prints hostile tags as text without one ESC, control or bidi character, one tag per line', async () => {
    const run = await cliOk(['tags', '--plain-http', `${registry.host}/hostile/tags`]);
    assert.doesNotMatch(run.stdout, ACTING, JSON.stringify(run.stdout));
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, tags.length, 'a tag with a new line forged an extra line');
    for (const line of lines) if (!ACTING.test(line)) shownSafely++;
    assert.ok(lines.includes('tag⟨U+001B⟩[2J⟨U+001B⟩[H'), JSON.stringify(lines));
    assert.ok(lines.includes('safe⟨U+202E⟩exe.txt⟨U+202C⟩'));
  });

  it('prints hostile tags through a Go template as code points too (the template’s own line breaks stay)', async () => {
    const run = await cliOk([
      'tags',
      '--plain-http',
      '--format',
      'go-template={{range .}}{{println .}}{{end}}',
      `${registry.host}/hostile/tags`,
    ]);
    assert.doesNotMatch(run.stdout, ACTING, JSON.stringify(run.stdout));
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, tags.length, 'a tag with a new line forged an extra line');
    for (const line of lines) if (!ACTING.test(line)) shownSafely++;
    assert.ok(lines.includes('tag⟨U+001B⟩[2J⟨U+001B⟩[H'), JSON.stringify(lines));
  });

  it('keeps the exact tags in --format json', async () => {
    const run = await cliOk(['tags', '--plain-http', '--format', 'json', `${registry.host}/hostile/tags`]);
    assert.deepEqual(JSON.parse(run.stdout), tags);
  });

  it('prints a registry error with escape sequences and a command link as inert text on stderr', async () => {
    const run = await cli(['tags', '--plain-http', `${registry.host}/denied`]);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, ACTING, JSON.stringify(run.stderr));
    assert.match(run.stderr, /denied access/);
    assert.match(run.stderr, /⟨U\+001B⟩\]0;owned/);
    shownSafely++;
  });
});
