// Which failures are the proxy's: its tunnel answers, and connection errors at its address. A registry reached
// directly (loopback, NO_PROXY) keeps its own message even where its port is the proxy's.
import * as assert from 'node:assert/strict';
import { proxyFailure } from '../../../src/core/registry/proxyErrors';

/** The error Node gives for a refused or unresolvable connection. */
function connectError(code: string, fields: { address?: string; port?: number; hostname?: string }): Error {
  return Object.assign(new Error(`connect ${code}`), { code, ...fields });
}

describe('proxy failures', () => {
  const named = { httpsProxy: 'http://alice:s3cret@proxy.corp.example:3128' };

  it('reads a tunnel refused with another status as the proxy not reaching or not allowing the host', () => {
    const err = Object.assign(new Error('Proxy response (502) !== 200 when HTTP Tunneling'), {
      code: 'UND_ERR_ABORTED',
    });
    const failure = proxyFailure('registry.example.com', err, named, 'https:');
    assert.equal(
      failure?.message,
      'the proxy http://proxy.corp.example:3128 would not connect to registry.example.com (it answered 502): it cannot reach that host or does not allow it; add registry.example.com to NO_PROXY if it is reached directly',
    );
    assert.doesNotMatch(failure!.message, /alice|s3cret/, 'the proxy URL is shown without its credentials');
  });

  it('blames a proxy named by host name when its name does not resolve, or its port refuses', () => {
    for (const err of [
      connectError('ENOTFOUND', { hostname: 'proxy.corp.example' }),
      connectError('ECONNREFUSED', { address: '10.1.2.3', port: 3128 }),
    ])
      assert.match(
        proxyFailure('registry.example.com', err, named, 'https:')?.message ?? '',
        /^cannot reach the proxy http:\/\/proxy\.corp\.example:3128 on the way to registry\.example\.com \((ENOTFOUND|ECONNREFUSED)\)/,
      );
  });

  it('names the setting to check in the words of who set it: the environment for the command line, http.proxy for the editor', () => {
    const down = connectError('ECONNREFUSED', { address: '10.1.2.3', port: 3128 });
    const message = (setIn?: 'environment' | 'editor') =>
      proxyFailure('registry.example.com', down, { ...named, setIn }, 'https:')?.message;
    assert.equal(
      message('environment'),
      'cannot reach the proxy http://proxy.corp.example:3128 on the way to registry.example.com (ECONNREFUSED); check the HTTPS_PROXY/HTTP_PROXY environment variable, or add registry.example.com to NO_PROXY to go direct',
    );
    assert.equal(message(), message('environment'));
    assert.match(message('editor') ?? '', /; check HTTPS_PROXY\/HTTP_PROXY, or http\.proxy in the editor, or add /);
  });

  it('leaves the registry’s own failures alone: another name, a registry on the proxy’s port, loopback', () => {
    const refused3128 = connectError('ECONNREFUSED', { address: '10.9.9.9', port: 3128 });
    assert.equal(
      proxyFailure(
        'registry.example.com',
        connectError('ENOTFOUND', { hostname: 'registry.example.com' }),
        named,
        'https:',
      ),
      undefined,
    );
    assert.equal(proxyFailure('registry.example.com:3128', refused3128, named, 'https:'), undefined);
    assert.equal(
      proxyFailure(
        '127.0.0.1:5000',
        connectError('ECONNREFUSED', { address: '127.0.0.1', port: 1 }),
        { httpProxy: 'http://127.0.0.1:1' },
        'http:',
      ),
      undefined,
    );
    assert.equal(proxyFailure('registry.example.com', refused3128, {}, 'https:'), undefined, 'no proxy set');
  });
});
