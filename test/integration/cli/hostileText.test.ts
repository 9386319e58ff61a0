// The CLI against a registry whose tags and error messages carry terminal escape sequences (window title, OSC 8
// hyperlink, clear screen) and bidi/zero-width characters: human-readable output shows them as code points and
// holds no ESC byte (through `--format go-template` too); `--format json` keeps the exact strings. And a real
// registry holding a referrer whose artifact type carries a line break and an escape sequence: discover's tree
// and table show it on its own line, as code points, forging no line of its own.
import * as assert from 'node:assert/strict';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { clientFor } from '../../fixtures/registryClients';
import { artifactManifest, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';
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
  let realRegistry: TestRegistry;
  let shownSafely = 0;

  before(async () => {
    registry = await startHostileTextRegistry({ denyMessage, tagsRepository: 'hostile/tags', tags });
    realRegistry = await startRegistry({ variant: 'plain', logLevel: 'error' });
  });
  after(async () => {
    await registry?.stop();
    await realRegistry?.stop();
    recordFigures('hostile', {
      'hostile text (CLI)': {
        tried: 2 * tags.length + 4,
        held: shownSafely,
        detail:
          'tags, a registry error, a referrer artifact type and registry warnings with escape sequences, line breaks, C1 controls, bidi and zero-width characters: shown as code points by the CLI (text, discover tree and table, --format go-template, warnings on stderr), exact in --format json',
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

  it('prints a registry warning (distribution-spec Warning header) once per run, C1 controls (CSI, next line) as code points', async () => {
    const warned = await startHostileTextRegistry({
      denyMessage,
      tagsRepository: 'warned/tags',
      tags: ['v1'],
      // A header carries no ESC or line feed (HTTP refuses them), but its obs-text bytes arrive as U+0080–U+00FF:
      // CSI (U+009B) clears a screen on terminals that take 8-bit controls, NEL (U+0085) starts a line on some.
      warnings: [
        '299 - "deprecated\u009b2J\u0085stowage tags: forged line"',
        '299 - "plain notice"',
        '299 - "plain notice"',
      ],
    });
    try {
      const run = await cliOk(['tags', '--plain-http', `${warned.host}/warned/tags`]);
      assert.equal(run.stdout, 'v1\n');
      assert.doesNotMatch(run.stderr, ACTING, JSON.stringify(run.stderr));
      assert.deepEqual(run.stderr.trimEnd().split('\n'), [
        `Warning from ${warned.host}: deprecated⟨U+009B⟩2J⟨U+0085⟩stowage tags: forged line`,
        `Warning from ${warned.host}: plain notice`,
      ]);
      shownSafely++;
    } finally {
      await warned.stop();
    }
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

  it('shows a referrer artifact type holding a line break and an escape sequence on one line in discover tree and table', async () => {
    // Written straight to a real registry (distribution stores the manifest's artifactType as it is), with the
    // fallback index listing it the same way: what a hostile pusher can leave for every later reader.
    const forged = 'x/y\n└── sha256:forged\u001b]0;owned\u0007';
    const target = new RegistryTarget(clientFor(realRegistry), 'hostile/types');
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const referrerBytes = artifactManifest([], { artifactType: forged, subject });
    const referrer = manifestDescriptor(referrerBytes);
    await target.pushManifest(referrer, referrerBytes);
    const indexBytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{ ...referrer, artifactType: forged }],
      }),
    );
    await target.pushManifest(manifestDescriptor(indexBytes, MediaType.ociIndex), indexBytes, {
      tag: fallbackTagOf(subject.digest),
    });
    const ref = `${realRegistry.host}/hostile/types:v1`;
    const shown = 'x/y⟨U+000A⟩└── sha256:forged⟨U+001B⟩]0;owned⟨U+0007⟩';

    const tree = (await cliOk(['discover', '--plain-http', ref])).stdout.trimEnd().split('\n');
    assert.doesNotMatch(tree.join('\n'), ACTING, JSON.stringify(tree));
    assert.equal(tree.length, 3, JSON.stringify(tree));
    assert.equal(tree[1], `└── ${shown}`);
    assert.equal(tree[2], `    └── ${referrer.digest}`);
    shownSafely++;

    const table = (await cliOk(['discover', '--plain-http', '--format', 'table', ref])).stdout.trimEnd().split('\n');
    assert.doesNotMatch(table.join('\n'), ACTING, JSON.stringify(table));
    assert.equal(table.length, 5, JSON.stringify(table));
    assert.equal(table[0], `Discovered 1 artifact referencing ${ref}`);
    assert.equal(table[4], `${shown}   ${referrer.digest}`);
    assert.equal(table[3]!.indexOf('Digest'), table[4]!.lastIndexOf('sha256:'), 'the columns line up');
    shownSafely++;

    const json = JSON.parse((await cliOk(['discover', '--plain-http', '--format', 'json', ref])).stdout) as {
      referrers: { artifactType: string }[];
    };
    assert.equal(json.referrers[0]!.artifactType, forged);
  });

  it('prints a generated SBOM naming a hostile file title to a terminal with the title escaped: the same JSON', async () => {
    // A title a hostile pusher wrote: U+009B is CSI in one character (JSON.stringify leaves it as it is).
    const title = 'report\u009b2J\u202etxt.exe';
    const target = new RegistryTarget(clientFor(realRegistry), 'hostile/sbom');
    await pushArtifact(target, 'payload', { tag: 'v1', title });
    const ref = `${realRegistry.host}/hostile/sbom:v1`;
    const shown = (await cliOk(['sbom', '--plain-http', ref], { terminal: true })).stdout;
    assert.doesNotMatch(shown, ACTING);
    assert.match(shown, /report\\u009b2J\\u202etxt\.exe/);
    const piped = (await cliOk(['sbom', '--plain-http', ref])).stdout;
    // Each run stamps its own time and serial number; the rest is the same document to a parser.
    const comparable = (text: string) =>
      JSON.parse(text.replace(/"(timestamp|serialNumber)": "[^"]*"/g, '"$1": ""')) as unknown;
    assert.deepEqual(comparable(shown), comparable(piped), 'a parser reads the same document');
    assert.ok(piped.includes(title), 'into a pipe, the bytes are the document’s');
    shownSafely++;
  });
});
