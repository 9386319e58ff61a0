// A request that got no answer is reported naming the host, the system's code and what it usually means.
import * as assert from 'node:assert/strict';
import { errorForTransport } from '../../../src/core/registry/registryErrors';
import { OciError, TlsError } from '../../../src/core/oci/errors';

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

  const tlsCases: [string, RegExp, boolean][] = [
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /: its certificate is not trusted \(signed by no certificate authority/, true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /: its certificate is not trusted/, true],
    ['CERT_HAS_EXPIRED', /^TLS with r\.example:5000 failed \(CERT_HAS_EXPIRED\): its certificate has expired$/, false],
    ['CERT_NOT_YET_VALID', /its certificate is not valid yet \(is this machine's clock right\?\)$/, false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /its certificate is not made out to r\.example$/, false],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', /the TLS handshake did not complete$/, false],
  ];
  for (const [code, message, untrusted] of tlsCases)
    it(`${code} → a TLS error that says what is wrong${untrusted ? ' (a CA file would fix it)' : ''}`, () => {
      const error = errorForTransport('r.example:5000', failure(code));
      assert.ok(error instanceof TlsError, String(error));
      assert.match(error.message, message);
      assert.equal(error.untrusted, untrusted);
      assert.doesNotMatch(
        error.message,
        /settings|stowage\.registries/,
        'what to do is the CLI hint or the editor button',
      );
    });
});
