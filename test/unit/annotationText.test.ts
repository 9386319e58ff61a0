import * as assert from 'node:assert/strict';
import { parseAnnotationText } from '../../src/core/oci/annotationText';

const ok = (text: string) => {
  const parsed = parseAnnotationText(text);
  assert.equal(parsed.problem, undefined, text);
  return parsed.annotations;
};
const problem = (text: string) => parseAnnotationText(text).problem;

describe('annotation text', () => {
  it('separates entries by commas, semicolons and new lines, trimming keys and values', () => {
    assert.deepEqual(ok(' a=1, org.example.note = two words ;b=2\nc=3\r\n'), {
      a: '1',
      'org.example.note': 'two words',
      b: '2',
      c: '3',
    });
    assert.deepEqual(ok(''), {});
    assert.deepEqual(ok(' ,, ;\n'), {});
  });

  it('keeps commas and semicolons inside a value when no key= follows them', () => {
    assert.deepEqual(ok('colors=red, green, blue, owner=me'), { colors: 'red, green, blue', owner: 'me' });
    assert.deepEqual(ok('type=text/plain; charset is utf-8;x=1'), { type: 'text/plain; charset is utf-8', x: '1' });
    assert.deepEqual(ok('a=1,, b=2,'), { a: '1', b: '2' });
  });

  it('keeps "=" inside values and allows empty values', () => {
    assert.deepEqual(ok('c=x=y, url=https://h/p?q=1&r=2; empty='), { c: 'x=y', url: 'https://h/p?q=1&r=2', empty: '' });
  });

  it('names an entry without "=", with an empty key or with spaces in its key', () => {
    assert.equal(problem('novalue'), '"novalue" is not key=value');
    assert.equal(problem('a=1\nnovalue'), '"novalue" is not key=value');
    assert.equal(problem('=x'), '"=x" has an empty key');
    assert.equal(problem('a=1, =x'), '"=x" has an empty key');
    assert.equal(problem('bad key=x'), 'the key "bad key" contains spaces');
  });

  it('refuses a key given twice instead of silently keeping one value', () => {
    assert.equal(problem('a=1, b=2; a=3'), '"a" is given twice');
    assert.deepEqual(parseAnnotationText('a=1\na=1').annotations, {});
  });

  it('treats keys like __proto__ as plain annotations', () => {
    const annotations = ok('__proto__=x, constructor=y');
    assert.deepEqual(Object.entries(annotations), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    assert.equal(Object.getPrototypeOf(annotations), Object.prototype);
  });
});
