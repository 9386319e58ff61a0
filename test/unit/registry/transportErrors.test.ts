// A request that got no answer is reported naming the host, the system's code and what it usually means.
import * as assert from 'node:assert/strict';
import { errorForTransport } from '../../../src/core/registry/registryErrors';
import { OciError } from '../../../src/core/oci/errors';

const failure = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('errors for requests without an answer', () => {
  const cases: [string, RegExp][] = [
    ['ENOTFOUND', /^cannot reach r\.example \(ENOTFOUND\): the name does not resolve .*HTTPS_PROXY\)$/],
    ['ECONNREFUSED', /^cannot reach r\.example \(ECONNREFUSED\): nothing accepts connections there/],
    ['UND_ERR_CONNECT_TIMEOUT', /^cannot reach r\.example \(UND_ERR_CONNECT_TIMEOUT\): the connection got no answer/],
    ['EHOSTUNREACH', /: no route to that host/],
    ['EWHATEVER', /^cannot reach r\.example \(EWHATEVER\)$/],
  ];
  for (const [code, message] of cases)
    it(`${code} → ${message.source.slice(0, 60)}…`, () => {
      const error = errorForTransport('r.example', failure(code));
      assert.ok(OciError.is(error, 'NETWORK'), String(error));
      assert.match(error.message, message);
    });
});
