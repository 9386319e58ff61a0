import * as assert from 'node:assert/strict';
import { nameFilter } from '../../../src/core/registry/nameFilter';

describe('the Registries view’s name filter', () => {
  const keep = (pattern: string, names: string[]) => names.filter((n) => nameFilter(pattern).matches(n));

  it('a pattern without wildcards matches anywhere in the name, ignoring case', () => {
    assert.deepEqual(keep('App', ['team/app', 'apple', 'web', 'my-APP-2']), ['team/app', 'apple', 'my-APP-2']);
    assert.equal(nameFilter('app').startAfter, undefined, 'a substring can be anywhere: no skipping ahead');
  });

  it('a glob matches the whole name: * within a segment, ** across, ? one character, [..] a class', () => {
    const names = ['team/app', 'team/sub/app', 'team', 'tools/app', 'v1.2.3', 'v1.10', 'v2-rc1'];
    assert.deepEqual(keep('team/*', names), ['team/app']);
    assert.deepEqual(keep('team/**', names), ['team/app', 'team/sub/app']);
    assert.deepEqual(keep('*/app', names), ['team/app', 'tools/app']);
    assert.deepEqual(keep('v1.?', names), []);
    assert.deepEqual(keep('v1.??', names), ['v1.10']);
    assert.deepEqual(keep('v[12]*', names), ['v1.2.3', 'v1.10', 'v2-rc1']);
    assert.deepEqual(keep('v[!1]*', names), ['v2-rc1']);
    assert.deepEqual(keep('V1.*', names), ['v1.2.3', 'v1.10'], 'case is ignored in globs too');
  });

  it('characters that mean something in a regular expression are literal', () => {
    assert.deepEqual(keep('a.b*', ['a.bc', 'axbc']), ['a.bc']);
    assert.deepEqual(keep('x+(y)*', ['x+(y)z', 'xxy']), ['x+(y)z']);
    assert.deepEqual(keep('[oops*', ['[oops-1', 'oops']), ['[oops-1'], 'an unclosed [ is literal');
  });

  it('a glob with a literal prefix starts a sorted listing before it and knows when it has passed it', () => {
    const filter = nameFilter('team/*');
    const start = filter.startAfter!;
    assert.equal(start, 'teal~', 'before "team" in both orders (distribution sorts "/" first, others by bytes)');
    const slashFirst = (n: string) => n.replaceAll('/', '\u0000');
    for (const name of ['team/a', 'team/-', 'team/0', 'team/sub/x']) {
      assert.ok(start < name, `${start} < ${name}`);
      assert.ok(slashFirst(start) < slashFirst(name), `${start} < ${name} with "/" first`);
    }
    assert.equal(filter.pastMatches('team/zzz'), false);
    assert.equal(filter.pastMatches('teams'), true);
    assert.equal(filter.pastMatches('tools/x'), true);
    assert.equal(filter.pastMatches('alpha'), false);
    assert.equal(filter.pastMatches('team-x'), false, 'before the prefix in byte order');
    assert.equal(nameFilter('a-*').pastMatches('a/x'), false, 'distribution lists "a/x" before "a-b": not past');
    assert.equal(nameFilter('*app').startAfter, undefined, 'a glob starting with a wildcard has no prefix');
  });
});
