import * as assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { terminalGuard } from '../../../src/cli/terminalGuard';

/** What reaches the terminal of `chunks` written in turn, and the refusal if any. */
async function shown(chunks: Buffer[]): Promise<{ text: string; error?: string }> {
  const out = new PassThrough();
  const got: Buffer[] = [];
  out.on('data', (c: Buffer) => got.push(c));
  const error = await pipeline(Readable.from(chunks), terminalGuard(out, '"f"')).then(
    () => undefined,
    (e: Error) => e.message,
  );
  return { text: Buffer.concat(got).toString('latin1'), ...(error ? { error } : {}) };
}

const b = (text: string) => Buffer.from(text, 'latin1');

describe('terminalGuard: file content printed to a terminal', () => {
  it('judges a carriage return or a C1 lead byte split from what follows it across chunks', async () => {
    assert.deepEqual(await shown([b('one\r'), b('\ntwo\r'), b('\n')]), { text: 'one\r\ntwo\r\n' });
    const cr = await shown([b('rm -rf /\r'), b('ls')]);
    assert.equal(cr.text, 'rm -rf /\n', 'what went before, then a line break: the refusal starts a line');
    assert.match(cr.error!, /"f" holds a control character \(U\+000D at byte 8\)/);
    // U+009B (CSI) in UTF-8 is C2 9B; C2 A9 is "©", which passes.
    const csi = await shown([b('ok \xc2'), b('\x9b2J')]);
    assert.deepEqual([csi.text, /U\+009B at byte 3/.test(csi.error!)], ['ok \n', true]);
    assert.deepEqual(await shown([b('\xc2'), b('\xa9 2026\t\n')]), { text: '\xc2\xa9 2026\t\n' });
    const lone = await shown([b('end\r')]);
    assert.deepEqual([lone.text, /U\+000D at byte 3/.test(lone.error!)], ['end\n', true]);
    const nul = await shown([b('\x7fELF'), b('\0')]);
    assert.deepEqual([nul.text, /U\+007F at byte 0/.test(nul.error!)], ['', true]);
    // Stopped right after a line break, or split from an earlier chunk: one line break, never two.
    assert.equal((await shown([b('line\n\x1b[2J')])).text, 'line\n');
    assert.equal((await shown([b('line\n'), b('\x1b[2J')])).text, 'line\n');
    assert.equal((await shown([b('half'), b('\x1b[2J')])).text, 'half\n');
  });

  it('stops before a bidirectional control or invisible character, judged whole when split across chunks', async () => {
    const u = (text: string) => Buffer.from(text, 'utf8');
    // U+202E is E2 80 AE: split after its first and after its second byte.
    const override = u('ok \u202Etxt.exe');
    const split = await shown([override.subarray(0, 4), override.subarray(4, 5), override.subarray(5)]);
    assert.equal(split.text, 'ok \n');
    assert.match(split.error!, /"f" holds a bidirectional control character \(U\+202E at byte 3\)/);
    for (const [char, kind] of [
      ['\u2066', 'bidirectional control'],
      ['\u2069', 'bidirectional control'],
      ['\u202A', 'bidirectional control'],
      ['\u200F', 'bidirectional control'],
      ['\u061C', 'bidirectional control'],
      ['\u200B', 'invisible'],
      ['\u2028', 'invisible'],
      ['\u{E0041}', 'invisible'],
    ]) {
      const point = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      const got = await shown([u(`\u00e9${char}x`)]);
      assert.equal(got.text, '\xc3\xa9\n', point);
      assert.match(got.error!, new RegExp(`${kind} character \\(U\\+${point} at byte 2\\)`));
    }
    // Text passes: accents, symbols, an emoji (4 bytes) split across chunks, a byte order mark that starts the
    // content; one further on hides nothing less than a zero-width space and stops.
    const text = u('\uFEFFna\u00efve \u00a9 \u{1F600}\n');
    assert.deepEqual(await shown([text.subarray(0, 15), text.subarray(15)]), { text: text.toString('latin1') });
    const laterMark = await shown([u('a'), u('\uFEFF')]);
    assert.match(laterMark.error!, /invisible character \(U\+FEFF at byte 1\)/);
    // Bytes that are no UTF-8 character are no control either: shown as they are (the terminal marks them).
    assert.deepEqual(await shown([b('\xe2\x80'), b('A\xff')]), { text: '\xe2\x80A\xff' });
  });

  it('judges the bytes held back for a cut-off character when the content ends there', async () => {
    // F0 starts a four-byte character: the two bytes after it are held for the next chunk, which never comes. An
    // escape among them is still a control (ESC c resets the terminal), not part of a character.
    const reset = await shown([b('abc\xf0\x1bc')]);
    assert.deepEqual([reset.text, /U\+001B at byte 4/.test(reset.error!)], ['abc\xf0\n', true]);
    const split = await shown([b('abc'), b('\xe2\x1b')]);
    assert.deepEqual([split.text, /U\+001B at byte 4/.test(split.error!)], ['abc\xe2\n', true]);
    const cr = await shown([b('abc\xf0\r')]);
    assert.deepEqual([cr.text, /U\+000D at byte 4/.test(cr.error!)], ['abc\xf0\n', true]);
    // A cut-off character alone is still shown as it is.
    assert.deepEqual(await shown([b('abc\xf0\x9f\x98')]), { text: 'abc\xf0\x9f\x98' });
  });
});
