// Holds the linter to image-spec's own schema test vectors (schema/*_test.go in the image-spec repository):
// each document there marked invalid must get at least one error here, each valid one none. The fixtures under
// test/fixtures/lint/image-spec/<kind>/{valid,invalid}/ were written for Stowage after those vectors, one defect
// each. The kind comes from the folder, as image-spec's tests name the schema to validate against.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint, type DocumentKind } from '../../../src/core/lint';
import { CORPUS } from './corpus';

const ROOT = path.join(CORPUS, 'image-spec');
const KINDS: Record<string, DocumentKind> = {
  descriptor: 'descriptor',
  manifest: 'ociManifest',
  index: 'ociIndex',
  config: 'imageConfig',
  layout: 'ociLayout',
};

/**
 * Where Stowage deliberately disagrees with a vector, and what it reports instead (see "deliberate deviations"
 * in src/core/lint/README.md).
 */
const DELIBERATE: Record<string, { insteadOfError: string; why: string }> = {
  'manifest/invalid/layers-empty.json': {
    insteadOfError: 'info:layers-empty',
    why: 'image-spec\'s schema demands a layer, its text allows artifacts without layers (image-spec 1.1 "Guidelines for artifact usage")',
  },
};

function vectors(kind: string, verdict: 'valid' | 'invalid'): string[] {
  return fs
    .readdirSync(path.join(ROOT, kind, verdict))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${kind}/${verdict}/${f}`);
}

describe('image-spec schema test vectors', () => {
  const all = Object.keys(KINDS).flatMap((kind) => [...vectors(kind, 'valid'), ...vectors(kind, 'invalid')]);

  it('covers every schema image-spec tests, both verdicts', () => {
    for (const kind of Object.keys(KINDS)) {
      assert.ok(vectors(kind, 'valid').length > 0 && vectors(kind, 'invalid').length > 0, kind);
    }
    assert.ok(all.length >= 60, `${all.length} vectors`);
  });

  for (const vector of all) {
    const [kind, verdict] = vector.split('/') as [string, 'valid' | 'invalid'];
    it(vector, () => {
      const problems = lint(fs.readFileSync(path.join(ROOT, vector), 'utf8'), { kind: KINDS[kind] });
      const errors = problems.filter((p) => p.severity === 'error');
      const deliberate = DELIBERATE[vector];
      if (deliberate) {
        assert.deepEqual(
          problems.map((p) => `${p.severity}:${p.code}`),
          [deliberate.insteadOfError],
          deliberate.why,
        );
      } else if (verdict === 'valid') {
        assert.deepEqual(errors, []);
      } else {
        assert.ok(
          errors.length > 0,
          `no error; found ${JSON.stringify(problems.map((p) => `${p.severity}:${p.code}`))}`,
        );
      }
    });
  }
});
