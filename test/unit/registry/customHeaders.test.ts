// ORAS's `-H "Name: value"`: what is accepted, and where the headers go — every request to the registry's own
// origin (a same-origin token service too), never a blob store or token service on another host, and not at all
// over plain HTTP to another machine (a value may be a secret).
import * as assert from 'node:assert/strict';
import { InsecureTransportError, OciError } from '../../../src/core/oci/errors';
import { parseCustomHeaders } from '../../../src/core/registry/customHeaders';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { cli } from '../../helpers/runCli';
import { reply, startScriptedServer, type ScriptedServer } from './scriptedServer';

describe('custom request headers (-H)', () => {
  it('reads "Name: value" lines into lower-case names, joining a name given twice', () => {
    assert.deepEqual(parseCustomHeaders(['X-Tenant: acme', 'x-api-key:  k1 ', 'X-Tenant: beta', 'X-Empty:']), {
      'x-tenant': 'acme, beta',
      'x-api-key': 'k1',
      'x-empty': '',
    });
  });

  it('refuses a line without a name, a name with spaces, control characters and headers Stowage sets', () => {
    for (const [line, message] of [
      ['no colon', /not "Name: value"/],
      [': value', /not "Name: value"/],
      ['Bad Name: v', /not "Name: value"/],
      ['X-A: one\r\nX-Injected: two', /line break or another control character/],
      ['Authorization: Bearer t', /set by Stowage itself: give credentials with -u\/-p/],
      ['Host: elsewhere', /header Host is set by Stowage itself$/],
      ['Content-Length: 1', /set by Stowage itself/],
    ] as const)
      assert.throws(
        () => parseCustomHeaders([line]),
        (e: unknown) => OciError.is(e, 'USAGE') && message.test(e.message),
        line,
      );
  });

  describe('on the wire', () => {
    let registry: ScriptedServer;
    let other: ScriptedServer | undefined;
    let elsewhere: ScriptedServer;
    const clients: RegistryClient[] = [];
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await registry?.close();
      await other?.close();
      await elsewhere?.close();
      other = undefined;
    });

    it('go to the registry and its own token service, not to a blob store or token service elsewhere', async () => {
      elsewhere = await startScriptedServer((req, res) =>
        req.url?.startsWith('/token')
          ? reply(res, 200, { 'content-type': 'application/json' }, '{"token":"t2"}')
          : reply(res, 200, {}, 'blob'),
      );
      // One registry: its token service on its own origin, a blob redirected elsewhere. Another: a token
      // service on another host.
      const registryAnswering = (realm: () => string, token: string) =>
        startScriptedServer((req, res, hit) => {
          if (req.url?.startsWith('/token'))
            return reply(res, 200, { 'content-type': 'application/json' }, `{"token":"${token}"}`);
          if (hit.headers.authorization !== `Bearer ${token}`)
            return reply(res, 401, { 'www-authenticate': `Bearer realm="${realm()}/token",service=r` });
          if (req.url === '/v2/a/blobs/x') return reply(res, 307, { location: `${elsewhere.origin}/blob` });
          reply(res, 200, { 'content-type': 'application/json' }, '{"name":"a","tags":[]}');
        });
      registry = await registryAnswering(() => registry.origin, 't1');
      other = await registryAnswering(() => elsewhere.origin, 't2');
      const clientOf = (server: ScriptedServer) => {
        const client = new RegistryClient(
          { host: server.host, plainHttp: true, headers: { 'x-tenant': 'acme' } },
          { credentials: { ignoreToolConfig: true } },
        );
        clients.push(client);
        return client;
      };
      for (const [client, url] of [
        [clientOf(registry), '/v2/a/tags/list'],
        [clientOf(registry), '/v2/a/blobs/x'],
        [clientOf(other), '/v2/a/tags/list'],
      ] as const)
        await (await client.request({ method: 'GET', url, scopes: ['repository:a:pull'] })).body.dump();
      for (const hit of [...registry.hits, ...other.hits]) assert.equal(hit.headers['x-tenant'], 'acme', hit.url);
      assert.ok(
        registry.hits.some((h) => h.url.startsWith('/token')),
        'the same-origin token service was asked',
      );
      assert.deepEqual(
        elsewhere.hits.map((h) => h.url.split('?')[0]),
        ['/blob', '/token'],
        'the blob store and the other token service were asked',
      );
      for (const hit of elsewhere.hits) assert.equal(hit.headers['x-tenant'], undefined, hit.url);
    });

    it('are refused over plain HTTP to another machine, before anything is sent, unless the registry allows it', async () => {
      const refused = new RegistryClient(
        { host: '192.0.2.10:5000', plainHttp: true, headers: { 'x-api-key': 'secret' } },
        { credentials: { ignoreToolConfig: true }, retry: { retries: 0 } },
      );
      clients.push(refused);
      await assert.rejects(
        refused.request({ method: 'GET', url: '/v2/', scopes: [] }),
        (e: unknown) =>
          e instanceof InsecureTransportError &&
          /^refusing to send the custom headers \(-H, held to the rule for secrets\) for 192\.0\.2\.10:5000 over plain HTTP/.test(
            e.message,
          ),
      );
    });

    it('come from the command line for every registry named', async () => {
      registry = await startScriptedServer((_req, res) =>
        reply(res, 200, { 'content-type': 'application/json' }, '{"name":"a","tags":["v1"]}'),
      );
      const run = await cli(['tags', '-H', 'X-Tenant: acme', '--header', 'X-Trace: 1', `${registry.host}/a`]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, 'v1\n');
      const hit = registry.hits.find((h) => h.url.startsWith('/v2/a/tags/list'))!;
      assert.equal(hit.headers['x-tenant'], 'acme');
      assert.equal(hit.headers['x-trace'], '1');
      const bad = await cli(['tags', '-H', 'Authorization: Bearer x', `${registry.host}/a`]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^stowage tags: -H: header Authorization is set by Stowage itself/);
    });
  });
});
