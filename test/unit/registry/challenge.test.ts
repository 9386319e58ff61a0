// WWW-Authenticate parsing: order-free parameters, several challenges, quoted commas and escapes.
import * as assert from 'node:assert/strict';
import { parseChallenges, type Challenge } from '../../../src/core/registry/challenge';

const cases: { name: string; header: string | string[]; expected: Challenge[] }[] = [
  {
    name: 'a distribution Bearer challenge with a scope holding a comma',
    header: 'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:app:pull,push"',
    expected: [
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:app:pull,push' },
      },
    ],
  },
  {
    name: 'parameters in another order with spaces around = and commas',
    header: 'Bearer scope="repository:a:pull" , service = "svc",  realm="https://r/t"',
    expected: [{ scheme: 'bearer', params: { scope: 'repository:a:pull', service: 'svc', realm: 'https://r/t' } }],
  },
  {
    name: 'insufficient_scope with an unquoted error value and two space-separated scopes',
    header:
      'Bearer realm="https://r/t",service="s",scope="repository:dst:pull,push repository:src:pull",error=insufficient_scope',
    expected: [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://r/t',
          service: 's',
          scope: 'repository:dst:pull,push repository:src:pull',
          error: 'insufficient_scope',
        },
      },
    ],
  },
  {
    name: 'two challenges in one field, Basic then Bearer',
    header: 'Basic realm="Registry Realm", Bearer realm="https://r/t",service="s"',
    expected: [
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://r/t', service: 's' } },
    ],
  },
  {
    name: 'challenges in separate header fields',
    header: ['Basic realm="a"', 'Bearer realm="https://r/t"'],
    expected: [
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'https://r/t' } },
    ],
  },
  {
    name: 'escaped quotes and commas inside a quoted value',
    header: 'Basic realm="say \\"hi\\", friend", charset="UTF-8"',
    expected: [{ scheme: 'basic', params: { realm: 'say "hi", friend', charset: 'UTF-8' } }],
  },
  {
    name: 'case-insensitive scheme and parameter names',
    header: 'BEARER Realm="https://r/t",SERVICE="s"',
    expected: [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 's' } }],
  },
  {
    name: 'a token68 challenge followed by a parameterised one',
    header: 'Negotiate abc123==, Basic realm="x"',
    expected: [
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'x' } },
    ],
  },
  { name: 'an empty header', header: '', expected: [] },
];

describe('WWW-Authenticate challenge parsing', () => {
  for (const { name, header, expected } of cases) {
    it(`parses ${name}`, () => {
      assert.deepEqual(parseChallenges(header), expected);
    });
  }

  it('returns no challenge when the header is absent', () => {
    assert.deepEqual(parseChallenges(undefined), []);
  });
});
