// Proves the linter against the corpus: real-world-shaped documents pass, and each broken one is reported
// with the expected code, at the expected path and range.
import * as assert from 'node:assert/strict';
import { lint } from '../../../src/core/lint';
import { corpus, expectationOf } from './corpus';

/** The only non-error findings valid documents may have, by file: each is documented in the lint README. */
const DOCUMENTED_FINDINGS: Record<string, string[]> = {
  'zero-layer-artifact.json': ['layers-empty'],
};

describe('lint corpus', () => {
  const valid = corpus('valid');
  const invalid = corpus('invalid');

  it('has at least 30 documents of each sort', () => {
    assert.ok(valid.length >= 30, `${valid.length} valid documents`);
    assert.ok(invalid.length >= 30, `${invalid.length} invalid documents`);
  });

  describe('valid documents have no problems beyond documented ones', () => {
    for (const file of valid) {
      it(file.name, () => {
        const problems = lint(file.text, { fileName: file.name });
        const unexpected = problems.filter(
          (p) => !(DOCUMENTED_FINDINGS[file.name] ?? []).includes(p.code) || p.severity === 'error',
        );
        assert.deepEqual(unexpected, []);
      });
    }
  });

  describe('each invalid document is reported with its expected code, path and range', () => {
    for (const file of invalid) {
      it(file.name, () => {
        const expected = expectationOf(file);
        const problems = lint(file.text, { fileName: file.name });
        const match = problems.find(
          (p) => p.code === expected.code && JSON.stringify(p.path) === JSON.stringify(expected.path),
        );
        assert.ok(
          match,
          `no ${expected.code} at ${JSON.stringify(expected.path)} in ${JSON.stringify(problems, null, 1)}`,
        );
        assert.equal(match.severity, expected.severity ?? 'error');
        assert.ok(
          match.length > 0 && match.offset >= 0 && match.offset + match.length <= file.text.length,
          'range inside the text',
        );
        if (expected.text !== undefined)
          assert.equal(file.text.slice(match.offset, match.offset + match.length), expected.text);
        assert.match(match.message, /\S/);
        const allowed = new Set([expected.code, ...(expected.alsoAllowed ?? [])]);
        const otherErrors = problems.filter((p) => p.severity === 'error' && !allowed.has(p.code));
        assert.deepEqual(otherErrors, [], 'only the planted defect is an error');
      });
    }
  });
});
