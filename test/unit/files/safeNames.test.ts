// Proves which names a pull may create: besides climbing out, names Windows cannot create or would alias
// are refused on every OS (an artifact pulled on Linux is often shared on with Windows users).
import * as assert from 'node:assert/strict';
import { assertSafeTitles, unsafePathProblem } from '../../../src/core/files';
import { OciError } from '../../../src/core/oci/errors';

describe('safe names for pulled files', () => {
  const refused: Array<[string, RegExp]> = [
    ['report.', /ends in a dot or a space/],
    ['report ', /ends in a dot or a space/],
    ['docs./a.txt', /ends in a dot or a space/],
    ['CON', /Windows device CON/],
    ['nul.txt', /Windows device NUL/],
    ['Aux.tar.gz', /Windows device AUX/],
    ['dir/COM1', /Windows device COM1/],
    ['lpt9.log', /Windows device LPT9/],
    ['COM0', /Windows device COM0/],
    ['LPT¹', /Windows device LPT¹/],
    ['NUL .txt', /Windows device NUL/],
    ['conin$', /Windows device CONIN\$/],
    ['ab:cd', /character ":"/],
    ['file.txt:stream', /character ":"/],
    ['what?.txt', /character "\?"/],
    ['a*b', /character "\*"/],
    ['<x>', /character "<"/],
    ['pipe|name', /character "\|"/],
    ['say"hi"', /character """/],
  ];
  for (const [name, reason] of refused) {
    it(`refuses ${JSON.stringify(name)}`, () => {
      assert.match(unsafePathProblem(name) ?? 'accepted', reason);
      assert.throws(
        () => assertSafeTitles([name]),
        (e: unknown) => OciError.is(e, 'UNSAFE_PATH'),
      );
    });
  }

  it('accepts ordinary names that merely resemble device names or contain dots and spaces', () => {
    for (const name of [
      'CONSOLE.txt',
      'com10',
      'lpt',
      'nullable.json',
      'my report.pdf',
      '.env.example',
      'a/b.c/d',
      'auxiliary/x',
      'version 1.0.txt',
      'café.md',
    ]) {
      assert.equal(unsafePathProblem(name), undefined, name);
    }
  });
});
