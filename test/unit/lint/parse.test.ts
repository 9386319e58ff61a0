// Proves syntax errors and duplicate keys are reported at the right positions.
import * as assert from 'node:assert/strict';
import { lint } from '../../../src/core/lint';

function covered(text: string, problem: { offset: number; length: number }): string {
  return text.slice(problem.offset, problem.offset + problem.length);
}

describe('lint JSON syntax and duplicate keys', () => {
  it('reports a missing comma at the token that follows it', () => {
    const text = '{\n  "schemaVersion": 2\n  "manifests": []\n}';
    const [problem, ...rest] = lint(text);
    assert.equal(problem?.code, 'json-syntax');
    assert.equal(covered(text, problem!), '"manifests"');
    assert.equal(problem!.message, 'Comma expected.');
    assert.deepEqual(rest, []);
  });

  it('reports an unterminated string', () => {
    const text = '{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json';
    assert.ok(lint(text).some((p) => p.code === 'json-syntax' && p.message === 'Unterminated string.'));
  });

  it('reports empty text and stops after syntax errors', () => {
    assert.deepEqual(
      lint('').map((p) => p.code),
      ['json-syntax'],
    );
    assert.deepEqual(
      lint('{"schemaVersion": 1,}').map((p) => p.code),
      ['json-syntax'],
    );
  });

  it('reports every repeated key at its second occurrence, nested too', () => {
    const text =
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"size":3}],"manifests":[]}';
    const duplicates = lint(text).filter((p) => p.code === 'duplicate-key');
    assert.deepEqual(
      duplicates.map((p) => p.path),
      [['manifests', 0, 'size'], ['manifests']],
    );
    assert.deepEqual(
      duplicates.map((p) => covered(text, p)),
      ['"size"', '"manifests"'],
    );
    assert.equal(duplicates[1]!.offset, text.lastIndexOf('"manifests"'));
  });

  it('finds a repeated key written with an escape, and tells arrays of objects apart', () => {
    const text = '{"annotations":{"a":"1","\\u0061":"2"},"layers":[{"size":1},{"size":2}]}';
    const duplicates = lint(text).filter((p) => p.code === 'duplicate-key');
    assert.deepEqual(
      duplicates.map((p) => [p.path, covered(text, p)]),
      [[['annotations', 'a'], '"\\u0061"']],
    );
  });

  it('does not mistake keys inside string values or escaped quotes for properties', () => {
    const text =
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"x":"{\\"x\\":1}","y":"\\\\"}}';
    assert.deepEqual(lint(text), []);
  });

  it('tells sizes written as decimals from look-alikes inside strings', () => {
    const descriptor = (size: string, note: string) =>
      `{"mediaType":"application/octet-stream","digest":"sha256:${'3e'.repeat(32)}","size":${size},"annotations":{"note":"${note}"}}`;
    assert.deepEqual(lint(descriptor('2', 'ratio: 1.5, [2e3]')), []);
    assert.deepEqual(
      lint(descriptor('2.0', '')).map((p) => [p.code, p.path]),
      [['size-invalid', ['size']]],
    );
    assert.deepEqual(
      lint(descriptor('-2E1', '')).map((p) => [p.code, p.path]),
      [['size-invalid', ['size']]],
    );
  });

  it('reports a top-level array as not an object', () => {
    assert.deepEqual(
      lint('[]').map((p) => p.code),
      ['not-an-object'],
    );
  });

  it('says when a JSON object is not an OCI document', () => {
    assert.deepEqual(
      lint('{"name": "x"}').map((p) => [p.code, p.severity]),
      [['unknown-document', 'info']],
    );
  });

  it('reports a document nested deeper than 256 levels as json-too-deep instead of overflowing the stack; brackets inside strings do not count', () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const problems = lint(deep);
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.offset]),
      [['json-too-deep', 'error', 5 + 255]],
    );
    const shallow = JSON.stringify({ schemaVersion: 2, annotations: { 'x.text': '['.repeat(1000) } });
    assert.ok(!lint(shallow).some((p) => p.code === 'json-too-deep'));
  });
});
