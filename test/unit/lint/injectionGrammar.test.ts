// The TextMate injection grammar's patterns, run as JavaScript regexes (they use only syntax both engines
// share), and its wiring in package.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/oci-json.injection.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, { match: string; captures?: Record<string, { name: string }> }>;
};
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
};

function matches(rule: string, text: string): string[] {
  return [...text.matchAll(new RegExp(grammar.repository[rule]!.match, 'g'))].map((m) => m[0]);
}

const SHA256 = `sha256:${'0123456789abcdef'.repeat(4)}`;
const SHA512 = `sha512:${'0123456789abcdef'.repeat(8)}`;

describe('the OCI JSON injection grammar', () => {
  it('highlights sha256 and sha512 digests of the right length only', () => {
    assert.deepEqual(matches('digest', SHA256), [SHA256]);
    assert.deepEqual(matches('digest', SHA512), [SHA512]);
    assert.deepEqual(matches('digest', `${SHA256}0`), []);
    assert.deepEqual(matches('digest', SHA256.toUpperCase()), []);
    assert.deepEqual(matches('digest', `md5:${'a'.repeat(32)}`), []);
  });

  it("scopes the algorithm as a language constant, like JSON's true (storage.type was keyword red in the 2026 themes)", () => {
    const captures = grammar.repository['digest']!.captures!;
    for (const group of ['1', '4']) assert.equal(captures[group]!.name, 'constant.language.digest-algorithm.oci');
    for (const group of ['3', '6']) assert.equal(captures[group]!.name, 'constant.numeric.digest.oci');
  });

  it('highlights media types with a registered top-level type, suffixes included', () => {
    assert.deepEqual(matches('media-type', 'application/vnd.oci.image.manifest.v1+json"'), [
      'application/vnd.oci.image.manifest.v1+json',
    ]);
    assert.deepEqual(matches('media-type', 'text/plain; charset=utf-8'), ['text/plain']);
    assert.deepEqual(matches('media-type', 'docker.io/library/alpine'), []);
    assert.deepEqual(matches('media-type', 'path/to/application/x'), []);
  });

  it('is contributed as an injection into JSON and JSON with comments', () => {
    const contribution = pkg.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
    assert.ok(contribution, 'package.json contributes the grammar under its scope name');
    assert.equal(path.resolve(ROOT, contribution.path), path.join(ROOT, 'syntaxes/oci-json.injection.tmLanguage.json'));
    assert.deepEqual(contribution.injectTo, ['source.json', 'source.json.comments']);
    assert.equal(grammar.injectionSelector, 'L:string.quoted.double.json');
  });
});
