import * as assert from 'node:assert/strict';
import { annotationsProblem, parseAnnotations } from '../../../src/vscode/commands/artifactInputs';

describe('push inputs', () => {
  it('parses key=value annotations, keeping "=" inside values', () => {
    assert.deepEqual(parseAnnotations(' a=1, org.example.note = two words ,, c=x=y'), { a: '1', 'org.example.note': 'two words', c: 'x=y' });
    assert.deepEqual(parseAnnotations(''), {});
  });

  it('explains malformed annotations', () => {
    assert.match(annotationsProblem('novalue')!, /not key=value/);
    assert.match(annotationsProblem('=x')!, /not key=value/);
    assert.match(annotationsProblem('bad key=x')!, /spaces/);
    assert.equal(annotationsProblem('a=1, b='), undefined);
  });
});
