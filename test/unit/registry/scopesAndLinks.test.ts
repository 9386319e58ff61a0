// Scope merging (the key of the token cache and of escalation), Link paging, URL redaction and the Docker Hub host.
import * as assert from 'node:assert/strict';
import { redactUrl } from '../../../src/core/registry/httpLog';
import { nextLink } from '../../../src/core/registry/link';
import {
  apiHost,
  defaultRegistryConfig,
  isLoopbackHost,
  registryOrigin,
} from '../../../src/core/registry/registryConfig';
import { mergeScopes, scopeKey } from '../../../src/core/registry/scopes';
import { Authenticator } from '../../../src/core/registry/Authenticator';
import { AuthError } from '../../../src/core/oci/errors';

describe('token scopes', () => {
  it('merges actions per resource in a stable order', () => {
    assert.deepEqual(mergeScopes(['repository:a:pull'], ['repository:a:push,pull', 'repository:b:pull']), [
      'repository:a:pull,push',
      'repository:b:pull',
    ]);
    assert.equal(
      scopeKey(['repository:b:pull', 'repository:a:push', 'repository:a:pull']),
      'repository:a:pull,push repository:b:pull',
    );
  });

  it('keeps the catalog scope and its * action', () => {
    assert.deepEqual(mergeScopes(['registry:catalog:*']), ['registry:catalog:*']);
  });

  it('escalates a token whose scopes do not cover what the registry asks, and gives up when a fresh one still does not', async () => {
    const authenticator = new Authenticator({
      host: 'r.example',
      credentials: async () => ({ username: 'u', password: 'p', source: 'docker-config' }),
      sendToRealm: () => Promise.reject(new Error('no realm is asked in this test')),
      origin: 'https://r.example',
      allowCredentialsOverHttp: false,
    });
    const challenge = 'Bearer realm="https://r.example/token",service="reg",scope="repository:a:push"';
    const wider = await authenticator.onUnauthorized(['repository:a:pull'], challenge, {
      header: 'Bearer t1',
      fresh: false,
    });
    assert.deepEqual(wider, ['repository:a:pull,push']);
    await assert.rejects(
      authenticator.onUnauthorized(wider, challenge, { header: 'Bearer t2', fresh: true }),
      (e: unknown) => AuthError.is(e, 'DENIED') && /denied .*repository:a/.test((e as Error).message),
    );
  });
});

describe('a fresh token still refused (insufficient_scope)', () => {
  const hub = (source: 'anonymous' | 'docker-config') =>
    new Authenticator({
      host: 'docker.io',
      credentials: async () =>
        source === 'anonymous' ? { source } : { username: 'u', password: 'p', source: 'docker-config' },
      sendToRealm: () => Promise.reject(new Error('no realm is asked in this test')),
      origin: 'https://registry-1.docker.io',
      allowCredentialsOverHttp: false,
    });
  const scopes = ['repository:library/alpnie:pull'];
  const challenge = (error: string) =>
    `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpnie:pull"${error}`;

  it('says the repository may not exist, as Docker Hub answers a missing one like a private one', async () => {
    for (const source of ['anonymous', 'docker-config'] as const) {
      await assert.rejects(
        hub(source).onUnauthorized(scopes, challenge(',error="insufficient_scope"'), {
          header: 'Bearer t',
          fresh: true,
        }),
        (e: unknown) =>
          e instanceof AuthError && /\(or the repository "library\/alpnie" does not exist\)$/.test(e.message),
      );
    }
  });

  it('does not say so when the registry did not name the scope as insufficient, or for a push (which creates it)', async () => {
    await assert.rejects(
      hub('docker-config').onUnauthorized(scopes, challenge(''), { header: 'Bearer t', fresh: true }),
      (e: unknown) => e instanceof AuthError && !/not exist/.test(e.message),
    );
    const push = ['repository:library/alpnie:pull,push'];
    const pushChallenge = challenge(',error="insufficient_scope"').replace(':pull"', ':pull,push"');
    await assert.rejects(
      hub('docker-config').onUnauthorized(push, pushChallenge, { header: 'Bearer t', fresh: true }),
      (e: unknown) => AuthError.is(e, 'DENIED') && !/not exist/.test((e as Error).message),
    );
  });
});

describe('Link header paging', () => {
  it('resolves a relative rel="next" link against the request URL', () => {
    const next = nextLink('</v2/_catalog?last=b&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/_catalog?n=2');
    assert.equal(next?.href, 'http://127.0.0.1:5000/v2/_catalog?last=b&n=2');
  });

  it('finds next among several links and unquoted rel values', () => {
    assert.equal(
      nextLink('<https://r/prev>; rel=prev, <https://r/next?x=1>; rel=next', 'https://r/')?.href,
      'https://r/next?x=1',
    );
  });

  it('returns undefined without a next link', () => {
    assert.equal(nextLink(undefined, 'https://r/'), undefined);
    assert.equal(nextLink('<https://r/prev>; rel="prev"', 'https://r/'), undefined);
  });
});

describe('HTTP log redaction', () => {
  it('removes user info and secret-looking query values', () => {
    const shown = redactUrl(
      'https://user:pw@s3.example/b/o?X-Amz-Signature=abc&X-Amz-Credential=k&access_token=t&digest=sha256:1&n=5',
    );
    assert.ok(!/pw|abc|=k&|=t&/.test(shown), shown);
    assert.match(shown, /digest=sha256%3A1/);
    assert.match(shown, /n=5/);
  });
});

describe('registry hosts', () => {
  it('maps Docker Hub names to its API host and leaves others alone', () => {
    assert.equal(apiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(apiHost('index.docker.io'), 'registry-1.docker.io');
    assert.equal(apiHost('ghcr.io'), 'ghcr.io');
    assert.equal(registryOrigin({ host: 'docker.io' }), 'https://registry-1.docker.io');
    assert.equal(registryOrigin({ host: '127.0.0.1:5000', plainHttp: true }), 'http://127.0.0.1:5000');
  });

  it('reaches a host nobody configured over TLS, except loopback hosts, which get plain HTTP', () => {
    for (const host of ['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'LOCALHOST:80'])
      assert.ok(isLoopbackHost(host), host);
    for (const host of [
      'localhost.example.com',
      '128.0.0.1',
      '127.0.0.1.nip.io',
      'ghcr.io',
      '[::2]:5000',
      '10.0.0.1:5000',
    ])
      assert.ok(!isLoopbackHost(host), host);
    assert.deepEqual(defaultRegistryConfig('127.0.0.1:5000'), { host: '127.0.0.1:5000', plainHttp: true });
    assert.deepEqual(defaultRegistryConfig('registry.example.com'), { host: 'registry.example.com' });
    assert.equal(registryOrigin(defaultRegistryConfig('ghcr.io')), 'https://ghcr.io');
  });
});
