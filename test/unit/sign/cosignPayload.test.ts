// The simple-signing payload parser against hostile and malformed payloads: each becomes a reason, never a
// throw, and only cosign's exact type with a digest-shaped manifest digest is accepted.
import * as assert from 'node:assert/strict';
import { MAX_COSIGN_PAYLOAD_BYTES, parseSimpleSigningPayload } from '../../../src/core/sign';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const payload = (critical: unknown, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ critical, optional: null, ...extra }));
const good = {
  identity: { 'docker-reference': 'registry.example/app' },
  image: { 'docker-manifest-digest': DIGEST },
  type: 'cosign container image signature',
};

function problemOf(bytes: Buffer): string {
  const parsed = parseSimpleSigningPayload(bytes);
  assert.ok('problem' in parsed, `expected a problem, got ${JSON.stringify(parsed)}`);
  return parsed.problem;
}

describe('sign/parseSimpleSigningPayload', () => {
  it('reads the manifest digest and the claimed reference of a payload as cosign writes it', () => {
    assert.deepEqual(parseSimpleSigningPayload(payload(good, { optional: { creator: 'ci' } })), {
      manifestDigest: DIGEST,
      dockerReference: 'registry.example/app',
    });
  });

  it('accepts the capitalised key of the spec example (cosign decodes keys case-insensitively) but refuses two spellings at once', () => {
    const capital = { ...good, image: { 'Docker-manifest-digest': DIGEST } };
    assert.equal((parseSimpleSigningPayload(payload(capital)) as { manifestDigest: string }).manifestDigest, DIGEST);
    const both = {
      ...good,
      image: { 'docker-manifest-digest': DIGEST, 'Docker-Manifest-Digest': `sha256:${'b'.repeat(64)}` },
    };
    assert.match(problemOf(payload(both)), /more than once/);
  });

  it('refuses bytes that are not JSON, JSON that is not an object, and invalid UTF-8 noise', () => {
    assert.match(problemOf(Buffer.from('{"critical": ')), /not JSON/);
    assert.match(problemOf(Buffer.from('[1,2]')), /not a JSON object/);
    assert.match(problemOf(Buffer.from('null')), /not a JSON object/);
    assert.match(problemOf(Buffer.from([0xff, 0xfe, 0x00, 0x7b])), /not JSON/);
  });

  it('names the missing or mistyped field: critical, type, image, digest', () => {
    assert.match(problemOf(Buffer.from('{}')), /no "critical" object/);
    assert.match(problemOf(payload('critical')), /no "critical" object/);
    assert.match(problemOf(payload({ ...good, type: undefined })), /critical\.type is missing/);
    assert.match(
      problemOf(payload({ ...good, type: 'atomic container signature' })),
      /critical\.type is "atomic container signature", not "cosign container image signature"/,
    );
    assert.match(problemOf(payload({ ...good, image: [DIGEST] })), /no "critical\.image" object/);
    assert.match(problemOf(payload({ ...good, image: {} })), /docker-manifest-digest is missing/);
    assert.match(problemOf(payload({ ...good, image: { 'docker-manifest-digest': 42 } })), /is not a digest \(42\)/);
    assert.match(
      problemOf(payload({ ...good, image: { 'docker-manifest-digest': 'sha256:../../etc' } })),
      /is not a digest/,
    );
  });

  it('does not mistake a hostile "problem" member for a parse failure', () => {
    const parsed = parseSimpleSigningPayload(payload({ ...good, problem: 'none' }));
    assert.deepEqual(parsed, { manifestDigest: DIGEST, dockerReference: 'registry.example/app' });
  });

  it('refuses an oversize payload before parsing it', () => {
    const padding = 'x'.repeat(MAX_COSIGN_PAYLOAD_BYTES);
    assert.match(problemOf(payload(good, { optional: { padding } })), /more than the 65536/);
  });

  it('survives deeply nested JSON with a reason (no stack overflow escapes)', () => {
    const deep = Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    assert.match(problemOf(deep), /not a JSON object/);
  });
});
