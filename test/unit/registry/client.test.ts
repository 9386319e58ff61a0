// RegistryClient behaviour that needs scripted faults: retries with backoff and Retry-After, broken
// connections, no resend of appending uploads, cancellation, redirects that drop credentials on another
// origin, token renewal on invalid_token, and manifest size and digest checks.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { digestOf } from '../../../src/core/content/hashing';
import {
  AbortedError,
  InsecureTransportError,
  NetworkError,
  OciError,
  RateLimitError,
} from '../../../src/core/oci/errors';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { Authenticator, MAX_CACHED_TOKENS } from '../../../src/core/registry/Authenticator';
import type { ResolvedCredentials } from '../../../src/core/registry/credentials';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../../src/core/registry/RegistryTarget';
import { closedAfterEachTest, reply, type ScriptedServer } from './scriptedServer';

const { scripted, clients } = closedAfterEachTest();

function clientOf(
  server: ScriptedServer,
  options: ConstructorParameters<typeof RegistryClient>[1] = {},
): RegistryClient {
  const client = new RegistryClient(
    { host: server.host, plainHttp: true },
    { retry: { baseDelayMs: 10 }, credentials: { ignoreToolConfig: true }, ...options },
  );
  clients.push(client);
  return client;
}

describe('RegistryClient retries', () => {
  it('retries 503 and 429, waiting as long as Retry-After says', async () => {
    const server = await scripted((_req, res, _hit, i) => {
      if (i === 0) reply(res, 503, { 'retry-after': '0' });
      else if (i === 1) reply(res, 429, { 'retry-after': '1' });
      else reply(res, 200, {}, 'ok');
    });
    const started = Date.now();
    const res = await clientOf(server).request({ method: 'GET', url: '/v2/', scopes: [] });
    assert.equal(res.status, 200);
    assert.equal(await res.body.text(), 'ok');
    assert.equal(server.hits.length, 3);
    assert.ok(Date.now() - started >= 900, 'Retry-After: 1 was not honoured');
  });

  it('gives up after the configured retries and reports the last status', async () => {
    const server = await scripted((_req, res) => reply(res, 502));
    await assert.rejects(
      clientOf(server, { retry: { retries: 2, baseDelayMs: 1 } }).expect(
        { method: 'GET', url: '/v2/', scopes: [] },
        [200],
        'the API root',
      ),
      (e: unknown) => OciError.is(e, 'REGISTRY') && /answered 502 for the API root/.test((e as Error).message),
    );
    assert.equal(server.hits.length, 3);
  });

  it("asks once when a 429 says the quota is used up (Docker Hub's pull limit renews over hours), naming the limit", async () => {
    const server = await scripted((_req, res) =>
      reply(
        res,
        429,
        { 'content-type': 'application/json', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' },
        JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }] }),
      ),
    );
    const target = new RegistryTarget(clientOf(server), 'library/nginx');
    await assert.rejects(target.fetchManifest('latest'), (e: unknown) => {
      assert.ok(e instanceof RateLimitError && e.quotaUsedUp, String(e));
      assert.equal(
        e.message,
        `${server.host} answered 429 for manifest ${server.host}/library/nginx:latest: its limit of 100 requests per 6 hours is used up; logging in raises it where anonymous requests share a limit by address (Docker Hub), or try again once the limit renews (TOOMANYREQUESTS: You have reached your pull rate limit.)`,
      );
      return true;
    });
    assert.equal(server.hits.length, 1);
  });

  it('retries a 429 with quota left or a Retry-After, and names it as too many requests when it stays', async () => {
    const server = await scripted((_req, res, _hit, i) =>
      i === 0
        ? reply(res, 429, { 'ratelimit-remaining': '0', 'retry-after': '0' })
        : reply(res, 429, { 'ratelimit-remaining': '7;w=60' }),
    );
    await assert.rejects(
      clientOf(server, { retry: { retries: 2, baseDelayMs: 1 } }).expect(
        { method: 'GET', url: '/v2/', scopes: [] },
        [200],
        'the API root',
      ),
      (e: unknown) =>
        e instanceof RateLimitError &&
        !e.quotaUsedUp &&
        e.message === `${server.host} answered 429 for the API root: too many requests; try again later`,
    );
    assert.equal(server.hits.length, 3);
  });

  it('does not retry a 500', async () => {
    const server = await scripted((_req, res) => reply(res, 500));
    const res = await clientOf(server).request({ method: 'GET', url: '/v2/', scopes: [] });
    assert.equal(res.status, 500);
    assert.equal(server.hits.length, 1);
  });

  it('retries a request whose connection was reset', async () => {
    const server = await scripted((_req, res, _hit, i) => (i === 0 ? res.socket?.destroy() : reply(res, 200)));
    const res = await clientOf(server).request({ method: 'GET', url: '/v2/', scopes: [] });
    assert.equal(res.status, 200);
    assert.equal(server.hits.length, 2);
  });

  it('does not resend an appending upload after a reset, so no byte is sent twice', async () => {
    const server = await scripted((_req, res) => res.socket?.destroy());
    await assert.rejects(
      clientOf(server).request({
        method: 'PATCH',
        url: '/v2/a/blobs/uploads/x',
        scopes: [],
        body: Buffer.from('data'),
        retryTransport: false,
      }),
      (e: unknown) => e instanceof NetworkError,
    );
    assert.equal(server.hits.length, 1);
  });

  it('stops waiting between retries when cancelled', async () => {
    const server = await scripted((_req, res) => reply(res, 503, { 'retry-after': '20' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(
      clientOf(server).request({ method: 'GET', url: '/v2/', scopes: [], signal: controller.signal }),
      (e: unknown) => e instanceof AbortedError,
    );
    assert.ok(Date.now() - started < 5000);
  });
});

describe('RegistryClient redirects', () => {
  it('sends credentials to the registry but not to the other origin it redirects to', async () => {
    const storage = await scripted((_req, res) => reply(res, 200, {}, 'blob'), 'localhost');
    const registry = await scripted((req, res) => {
      if (!req.headers.authorization) reply(res, 401, { 'www-authenticate': 'Basic realm="r"' });
      else if (req.url === '/v2/a/blobs/here') reply(res, 307, { location: '/v2/a/blobs/there' });
      else reply(res, 302, { location: `${storage.origin}/object?sig=abc` });
    });
    const client = clientOf(registry, {
      credentials: { explicit: { [registry.host]: { username: 'u', password: 'secret' } }, ignoreToolConfig: true },
    });
    const res = await client.request({ method: 'GET', url: '/v2/a/blobs/here', scopes: [] });
    assert.equal(await res.body.text(), 'blob');
    assert.equal(res.url.origin, storage.origin);
    assert.deepEqual(
      registry.hits.map((h) => [h.url, !!h.headers.authorization]),
      [
        ['/v2/a/blobs/here', false],
        ['/v2/a/blobs/here', true],
        ['/v2/a/blobs/there', true],
      ],
    );
    assert.equal(storage.hits.length, 1);
    assert.equal(storage.hits[0]!.headers.authorization, undefined);
  });

  it('does not follow redirects of uploads', async () => {
    const server = await scripted((_req, res) => reply(res, 307, { location: '/elsewhere' }));
    const res = await clientOf(server).request({
      method: 'PUT',
      url: '/v2/a/manifests/v1',
      scopes: [],
      body: Buffer.from('{}'),
    });
    assert.equal(res.status, 307);
    assert.equal(server.hits.length, 1);
  });
});

describe('RegistryClient tokens', () => {
  it('fetches a new token when the registry calls the cached one invalid', async () => {
    const issued: string[] = [];
    const revoked = new Set<string>();
    const server = await scripted((req, res) => {
      if (req.url!.startsWith('/token')) {
        issued.push(`t${issued.length + 1}`);
        reply(
          res,
          200,
          { 'content-type': 'application/json' },
          JSON.stringify({ token: issued.at(-1), expires_in: 300 }),
        );
        return;
      }
      const challenge = `Bearer realm="http://${req.headers.host}/token",service="s",scope="repository:a:pull"`;
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      if (token && issued.includes(token) && !revoked.has(token)) {
        revoked.add(token); // every token works once, then the registry calls it invalid
        reply(res, 200, { 'content-type': 'application/json' }, '{"name":"a","tags":["x"]}');
        return;
      }
      reply(res, 401, { 'www-authenticate': token ? `${challenge},error="invalid_token"` : challenge });
    });
    const client = clientOf(server);
    for (let i = 0; i < 2; i++) {
      const res = await client.request({ method: 'GET', url: '/v2/a/tags/list', scopes: ['repository:a:pull'] });
      assert.deepEqual(await res.body.json(), { name: 'a', tags: ['x'] });
    }
    assert.deepEqual(issued, ['t1', 't2']);
  });

  it("asks at once for the scopes a registry widened before (ACR's metadata_read to list tags), not a token and a 401 more per request", async () => {
    const asked: string[] = [];
    const server = await scripted((req, res, hit) => {
      if (hit.url.startsWith('/token')) {
        const scopes = new URL(hit.url, 'http://x').searchParams.getAll('scope').join(' ');
        asked.push(scopes);
        return reply(res, 200, {}, JSON.stringify({ token: scopes.replace(/[^a-z_,]/g, '-'), expires_in: 300 }));
      }
      if ((req.headers.authorization ?? '').includes('metadata_read'))
        return reply(res, 200, { 'content-type': 'application/json' }, '{"name":"a","tags":[]}');
      const insufficient = req.headers.authorization ? ',error="insufficient_scope"' : '';
      const challenge = `Bearer realm="http://${req.headers.host}/token",service="s",scope="repository:a:metadata_read"`;
      reply(res, 401, { 'www-authenticate': `${challenge}${insufficient}` });
    });
    const client = clientOf(server);
    for (let i = 0; i < 3; i++) {
      const res = await client.request({ method: 'GET', url: '/v2/a/tags/list', scopes: ['repository:a:pull'] });
      await res.body.dump();
      assert.equal(res.status, 200);
    }
    assert.deepEqual(asked, ['repository:a:pull,metadata_read']);
    assert.equal(server.hits.filter((h) => h.url.startsWith('/v2/')).length, 4);
  });
});

describe('Authenticator', () => {
  function authenticatorFor(
    origin: string,
    realmCalls: URL[],
    allowCredentialsOverHttp = false,
    credentials: ResolvedCredentials = { username: 'u', password: 'p', source: 'explicit' },
    skipTlsVerify = false,
  ): Authenticator {
    return new Authenticator({
      host: new URL(origin).host,
      credentials: async () => credentials,
      sendToRealm: async (url) => {
        realmCalls.push(url);
        throw new Error('must not be called');
      },
      origin,
      skipTlsVerify,
      allowCredentialsOverHttp,
    });
  }

  it('refuses to send credentials to a plain-HTTP token realm on another host, naming both hosts, even when the registry allows HTTP', async () => {
    for (const allow of [false, true]) {
      const realmCalls: URL[] = [];
      const authenticator = authenticatorFor('https://r.example', realmCalls, allow);
      const scopes = await authenticator.onUnauthorized(
        ['repository:a:pull'],
        'Bearer realm="http://auth.example/token",service="s"',
        { fresh: false },
      );
      await assert.rejects(
        authenticator.authorize(scopes),
        (e: unknown) =>
          e instanceof InsecureTransportError &&
          e.registry === 'r.example' &&
          /credentials for r\.example over plain HTTP to auth\.example \(the token service of r\.example\)/.test(
            e.message,
          ) &&
          /only over HTTPS/.test(e.message),
      );
      assert.deepEqual(realmCalls, []);
    }
  });

  it('refuses a refresh token to a plain-HTTP realm just like a password', async () => {
    const realmCalls: URL[] = [];
    const authenticator = authenticatorFor('http://r.example', realmCalls, false, {
      identityToken: 'refresh',
      source: 'docker-config',
    });
    const scopes = await authenticator.onUnauthorized([], 'Bearer realm="http://r.example/token"', { fresh: false });
    await assert.rejects(authenticator.authorize(scopes), InsecureTransportError);
    assert.deepEqual(realmCalls, []);
  });

  it("asks a realm anonymously when there are no credentials (nothing secret to protect), whatever the registry's channel", async () => {
    for (const realm of ['http://r.example/token', 'https://auth.example/token']) {
      const realmCalls: URL[] = [];
      const authenticator = authenticatorFor('http://r.example', realmCalls, false, { source: 'anonymous' });
      const scopes = await authenticator.onUnauthorized([], `Bearer realm="${realm}"`, { fresh: false });
      await assert.rejects(authenticator.authorize(scopes), /must not be called/);
      assert.equal(realmCalls.length, 1, realm);
    }
  });

  it("sends credentials to a plain-HTTP realm on the registry's own host (another port) when the registry allows it", async () => {
    const realmCalls: URL[] = [];
    const authenticator = authenticatorFor('http://r.example', realmCalls, true);
    const scopes = await authenticator.onUnauthorized([], 'Bearer realm="http://r.example:5001/token"', {
      fresh: false,
    });
    await assert.rejects(authenticator.authorize(scopes), /must not be called/);
    assert.equal(realmCalls[0]?.host, 'r.example:5001');
  });

  it('refuses credentials to an HTTPS realm named by a plain-HTTP or unverified-TLS registry off this machine, naming the setting', async () => {
    for (const [origin, skipTlsVerify, said] of [
      ['http://r.example:5000', false, /r\.example:5000 is reached over plain HTTP/],
      ['https://r.example', true, /TLS certificate of r\.example is not verified/],
    ] as const) {
      for (const credentials of [
        { username: 'u', password: 'p', source: 'explicit' },
        { identityToken: 'refresh', source: 'docker-config' },
      ] as ResolvedCredentials[]) {
        const realmCalls: URL[] = [];
        const authenticator = authenticatorFor(origin, realmCalls, false, credentials, skipTlsVerify);
        const scopes = await authenticator.onUnauthorized([], 'Bearer realm="https://auth.example/token",service="s"', {
          fresh: false,
        });
        await assert.rejects(
          authenticator.authorize(scopes),
          (e: unknown) =>
            e instanceof InsecureTransportError &&
            e.message.includes(`to auth.example (the token service of ${new URL(origin).host})`) &&
            said.test(e.message) &&
            /"allowCredentialsOverHttp": true/.test(e.message),
        );
        assert.deepEqual(realmCalls, [], origin);
      }
    }
  });

  it('sends credentials to an HTTPS realm when the registry is verified TLS, on loopback, or allows it', async () => {
    for (const [origin, skipTlsVerify, allow] of [
      ['https://r.example', false, false],
      ['http://127.0.0.1:5000', false, false],
      ['https://localhost:5000', true, false],
      ['http://r.example:5000', false, true],
      ['https://r.example', true, true],
    ] as const) {
      const realmCalls: URL[] = [];
      const authenticator = authenticatorFor(origin, realmCalls, allow, undefined, skipTlsVerify);
      const scopes = await authenticator.onUnauthorized([], 'Bearer realm="https://auth.example/token"', {
        fresh: false,
      });
      await assert.rejects(authenticator.authorize(scopes), /must not be called/);
      assert.equal(realmCalls.length, 1, origin);
    }
  });

  it('refuses Basic credentials to an unverified-TLS registry off this machine unless it allows them', async () => {
    const refused = authenticatorFor('https://registry.lan', [], false, undefined, true);
    await refused.onUnauthorized([], 'Basic realm="r"', { fresh: false });
    await assert.rejects(
      refused.authorize([]),
      (e: unknown) =>
        e instanceof InsecureTransportError &&
        /not verified \(skipTlsVerify/.test(e.message) &&
        /"caFile"/.test(e.message),
    );
    const allowed = authenticatorFor('https://registry.lan', [], true, undefined, true);
    await allowed.onUnauthorized([], 'Basic realm="r"', { fresh: false });
    assert.match((await allowed.authorize([])).header ?? '', /^Basic /);
  });

  it('refuses Basic credentials to a plain-HTTP registry that is not loopback, and sends them on loopback or when allowed', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const remote = authenticatorFor('http://registry.lan:5000', []);
    await remote.onUnauthorized([], 'Basic realm="r"', { fresh: false });
    await assert.rejects(
      remote.authorize([]),
      (e: unknown) =>
        e instanceof InsecureTransportError &&
        /over plain HTTP to registry\.lan:5000: it is not a loopback address/.test(e.message),
    );
    for (const [origin, allow] of [
      ['http://127.0.0.1:5000', false],
      ['http://localhost:5000', false],
      ['http://[::1]:5000', false],
      ['https://registry.lan', false],
      ['http://registry.lan:5000', true],
    ] as const) {
      const authenticator = authenticatorFor(origin, [], allow);
      await authenticator.onUnauthorized([], 'Basic realm="r"', { fresh: false });
      assert.deepEqual(await authenticator.authorize([]), { header: basic, fresh: false }, origin);
    }
  });

  it('asks the realm with service and one scope parameter per scope, Basic credentials attached, and caches the token', async () => {
    const realm = await scripted((_req, res) =>
      reply(res, 200, { 'content-type': 'application/json' }, '{"access_token":"tok","expires_in":100}'),
    );
    const authenticator = new Authenticator({
      host: 'r.example',
      credentials: async () => ({ username: 'u', password: 'p', source: 'docker-config' }),
      sendToRealm: (url, init) => request(url, { method: init.method, headers: init.headers, body: init.body }),
      origin: 'https://r.example',
      allowCredentialsOverHttp: false,
    });
    const challenge = `Bearer realm="${realm.origin}/token",service="reg",scope="repository:dst:pull,push repository:src:pull"`;
    const scopes = await authenticator.onUnauthorized(['repository:dst:pull,push'], challenge, { fresh: false });
    assert.deepEqual(await authenticator.authorize(scopes), { header: 'Bearer tok', fresh: true });
    assert.deepEqual(await authenticator.authorize(scopes), { header: 'Bearer tok', fresh: false });
    assert.equal(realm.hits.length, 1);
    const asked = new URL(realm.hits[0]!.url, realm.origin);
    assert.equal(asked.searchParams.get('service'), 'reg');
    assert.deepEqual(asked.searchParams.getAll('scope'), ['repository:dst:pull,push', 'repository:src:pull']);
    assert.equal(realm.hits[0]!.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});

describe('Authenticator token cache', () => {
  it(`keeps at most ${MAX_CACHED_TOKENS} tokens, the oldest dropped first (one per repository browsed, each up to 64 KiB)`, async () => {
    let issued = 0;
    const realm = await scripted((_req, res) =>
      reply(res, 200, { 'content-type': 'application/json' }, `{"token":"t${++issued}","expires_in":3600}`),
    );
    const authenticator = new Authenticator({
      host: 'r.example',
      credentials: async () => ({ source: 'anonymous' }),
      sendToRealm: (url, init) => request(url, { method: init.method, headers: init.headers, body: init.body }),
      origin: 'https://r.example',
      allowCredentialsOverHttp: false,
    });
    const scopes = (i: number) => [`repository:repo${i}:pull`];
    await authenticator.onUnauthorized(scopes(0), `Bearer realm="${realm.origin}/token"`, { fresh: false });
    for (let i = 0; i <= MAX_CACHED_TOKENS; i++) await authenticator.authorize(scopes(i));
    assert.equal(issued, MAX_CACHED_TOKENS + 1);
    // The newest are kept; the first, dropped to make room, is asked for again.
    assert.deepEqual(await authenticator.authorize(scopes(MAX_CACHED_TOKENS)), {
      header: `Bearer t${MAX_CACHED_TOKENS + 1}`,
      fresh: false,
    });
    assert.equal((await authenticator.authorize(scopes(0))).fresh, true);
    assert.equal(issued, MAX_CACHED_TOKENS + 2);
  });
});

describe('RegistryTarget manifest checks', () => {
  it('refuses a manifest larger than 4 MiB before reading it', async () => {
    const server = await scripted((_req, res) => {
      res.writeHead(200, { 'content-type': MediaType.ociManifest, 'content-length': String(5 * 1024 * 1024) });
      res.write('{');
      setTimeout(() => res.destroy(), 200);
    });
    await assert.rejects(new RegistryTarget(clientOf(server), 'a').fetchManifest('v1'), (e: unknown) =>
      OciError.is(e, 'SIZE_EXCEEDED'),
    );
  });

  it('refuses manifest bytes that do not match the digest asked for', async () => {
    const body = '{"schemaVersion":2,"manifests":[]}';
    const server = await scripted((_req, res) => reply(res, 200, { 'content-type': MediaType.ociIndex }, body));
    await assert.rejects(
      new RegistryTarget(clientOf(server), 'a').fetchManifest(digestOf('something else')),
      (e: unknown) => OciError.is(e, 'DIGEST_MISMATCH'),
    );
  });

  it('refuses a reference that is neither a digest nor a tag by the one tag grammar, before asking', async () => {
    const server = await scripted((_req, res) => reply(res, 500, {}, ''));
    await assert.rejects(
      new RegistryTarget(clientOf(server), 'a').fetchManifest('-v1'),
      (e: unknown) => OciError.is(e, 'INVALID_REFERENCE') && /must start with a letter, digit or "_"/.test(e.message),
    );
    assert.equal(server.hits.length, 0);
  });

  it('refuses a manifest whose schemaVersion is not 2, by the same parse a layout uses', async () => {
    const body = '{"schemaVersion":1,"name":"a","tag":"v1","fsLayers":[]}';
    const server = await scripted((_req, res) => reply(res, 200, { 'content-type': MediaType.ociManifest }, body));
    await assert.rejects(
      new RegistryTarget(clientOf(server), 'a').fetchManifest('v1'),
      (e: unknown) => OciError.is(e, 'INVALID_CONTENT') && /has schemaVersion 1, expected 2/.test(e.message),
    );
  });

  it('sends an explicit OCI Accept header for manifests', async () => {
    const body = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}';
    const server = await scripted((_req, res) =>
      reply(res, 200, { 'content-type': MediaType.ociIndex, 'docker-content-digest': digestOf(body) }, body),
    );
    const fetched = await new RegistryTarget(clientOf(server), 'a').fetchManifest('v1');
    assert.equal(fetched.descriptor.digest, digestOf(body));
    assert.equal(fetched.descriptor.mediaType, MediaType.ociIndex);
    assert.match(String(server.hits[0]!.headers.accept), /application\/vnd\.oci\.image\.manifest\.v1\+json/);
    assert.match(String(server.hits[0]!.headers.accept), /application\/vnd\.oci\.image\.index\.v1\+json/);
  });
});
