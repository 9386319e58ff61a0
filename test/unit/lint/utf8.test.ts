// Proves invalid UTF-8 is found at its first bad byte and reported with that byte offset, where the linter
// is given bytes; valid text (any script, U+FFFD written properly) is untouched.
import * as assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { decodeDocument, lint } from '../../../src/core/lint';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { firstInvalidByte } from '../../../src/core/lint/utf8';

const EMPTY = {
  mediaType: MediaType.ociEmpty,
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

/** A valid manifest whose title annotation holds `raw` bytes, with the byte offset where they start. */
function manifestWith(raw: Buffer): { bytes: Buffer; at: number } {
  const text = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.x',
      config: EMPTY,
      layers: [EMPTY],
      annotations: { 'org.opencontainers.image.title': 'caf\u00e9 @@' },
    },
    null,
    2,
  );
  const [before, after] = text.split('@@') as [string, string];
  const head = Buffer.from(before, 'utf8');
  return { bytes: Buffer.concat([head, raw, Buffer.from(after, 'utf8')]), at: head.length };
}

describe('UTF-8 of lint inputs', () => {
  it('decodes valid UTF-8 without findings, including a properly encoded U+FFFD and four-byte characters', () => {
    const { bytes } = manifestWith(Buffer.from('\ufffd \u{1F433} \u6f22\u5b57', 'utf8'));
    const decoded = decodeDocument(bytes);
    assert.deepEqual(decoded.problems, []);
    assert.deepEqual(lint(decoded), []);
  });

  const cases: [string, number[]][] = [
    ['a Latin-1 byte (é saved as ISO-8859-1)', [0xe9, 0x20]],
    ['a lone continuation byte', [0x80]],
    ['a truncated three-byte sequence', [0xe2, 0x82]],
    ['an overlong form of "/"', [0xc0, 0xaf]],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a byte that never occurs (0xFF)', [0xff]],
  ];
  for (const [what, raw] of cases) {
    it(`reports ${what} as an error at its byte offset and at the replacement character`, () => {
      const { bytes, at } = manifestWith(Buffer.from(raw));
      const decoded = decodeDocument(bytes);
      const problems = lint(decoded);
      assert.deepEqual(
        problems.map((p) => [p.severity, p.code, p.path.join('.')]),
        [['error', 'utf8-invalid', 'annotations.org.opencontainers.image.title']],
      );
      const [problem] = problems;
      assert.match(problem!.message, new RegExp(`byte offset ${at} \\(0x${raw[0]!.toString(16).toUpperCase()}`));
      assert.match(problem!.message, /RFC 8259/);
      assert.equal(decoded.text[problem!.offset], '\ufffd');
      assert.equal(decoded.text.slice(0, problem!.offset), bytes.subarray(0, at).toString('utf8'));
    });
  }

  it('reports it even when the bytes break the JSON syntax too, and text input stays as it was', () => {
    const bytes = Buffer.concat([Buffer.from('{"schemaVersion": 2, '), Buffer.from([0xc3]), Buffer.from('}')]);
    const codes = lint(decodeDocument(bytes)).map((p) => p.code);
    assert.ok(codes.includes('utf8-invalid') && codes.includes('json-syntax'), codes.join());
    assert.ok(!lint(bytes.toString('utf8')).some((p) => p.code === 'utf8-invalid'), 'text has no bytes to judge');
  });

  it("finds the first invalid byte exactly where Node's own validator disagrees (10,000 random buffers)", () => {
    for (let n = 0; n < 10_000; n++) {
      // Mostly-valid input: random multi-byte characters with a random byte flipped now and then.
      const chars = Array.from(
        { length: 8 },
        () => String.fromCodePoint(Math.floor(Math.random() * 0x10ffff) & ~0x800) /* no surrogates */,
      );
      const bytes = Buffer.from(chars.join(''), 'utf8');
      if (n % 2) bytes[Math.floor(Math.random() * bytes.length)] = randomBytes(1)[0]!;
      const first = firstInvalidByte(bytes);
      assert.equal(first === -1, isUtf8(bytes), bytes.toString('hex'));
      if (first >= 0)
        assert.ok(isUtf8(bytes.subarray(0, first)), `the prefix before ${first} is valid: ${bytes.toString('hex')}`);
    }
  });
});
