// Registry warnings (distribution-spec's `Warning: 299 - "<text>"`): which header values count, the 4096-byte
// budget, and a client reporting each distinct warning of its registry once — never a token server's or a blob
// store's on another origin.
import * as assert from 'node:assert/strict';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { MAX_WARNING_BYTES, parseWarningHeaders } from '../../../src/core/registry/registryWarnings';
import { reply, startScriptedServer, type ScriptedServer } from './scriptedServer';

describe('registry warnings', () => {
  it('takes the texts of 299 - "…" warnings, one per header or comma-separated, unescaping quoted pairs', () => {
    assert.deepEqual(parseWarningHeaders('299 - "Your auth token will expire in 30 seconds."'), [
      'Your auth token will expire in 30 seconds.',
    ]);
    assert.deepEqual(parseWarningHeaders(['299 - "one, with a comma"', '299 - "two \\"quoted\\""']), [
      'one, with a comma',
      'two "quoted"',
    ]);
    assert.deepEqual(parseWarningHeaders('299 - "a", 299 - "b"'), ['a', 'b']);
  });

  it('ignores other codes and agents, a date, empty texts and what is not quoted', () => {
    for (const value of [
      '199 - "misc"',
      '299 registry.example "agent named"',
      '299 - "dated" "Sat, 05 Dec 2026 12:00:00 GMT"',
      '299 - ""',
      '299 - unquoted',
      '110 - "Response is Stale"',
    ])
      assert.deepEqual(parseWarningHeaders(value), [], value);
    assert.deepEqual(parseWarningHeaders(undefined), []);
  });

  it('reads no more than 4096 bytes of warning headers of one response', () => {
    const long = `299 - "${'x'.repeat(3000)}"`;
    assert.equal(parseWarningHeaders([long, long]).length, 1);
    assert.ok(Buffer.byteLength(long) * 2 > MAX_WARNING_BYTES);
  });

  describe('through a client', () => {
    let registry: ScriptedServer;
    let elsewhere: ScriptedServer;
    const clients: RegistryClient[] = [];
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await registry?.close();
      await elsewhere?.close();
    });

    it('reports each distinct warning of its registry once, at most 20, and none from another origin', async () => {
      elsewhere = await startScriptedServer((_req, res) =>
        reply(res, 200, { warning: '299 - "from the blob store"' }, 'blob'),
      );
      registry = await startScriptedServer((req, res) => {
        const many = Array.from({ length: 30 }, (_, i) => `299 - "n${i}"`).join(', ');
        if (req.url === '/v2/redirect') return reply(res, 307, { location: `${elsewhere.origin}/blob` });
        if (req.url === '/v2/many') return reply(res, 200, { warning: many }, '{}');
        res.setHeader('warning', ['299 - "deprecated: use v3"', '299 - "token expires soon"']);
        reply(res, 200, {}, '{}');
      });
      const seen: string[] = [];
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        {
          credentials: { ignoreToolConfig: true },
          onWarning: ({ registry: host, text }) => seen.push(`${host} ${text}`),
        },
      );
      clients.push(client);
      for (let i = 0; i < 3; i++) await (await client.request({ method: 'GET', url: '/v2/', scopes: [] })).body.dump();
      await (await client.request({ method: 'GET', url: '/v2/redirect', scopes: [] })).body.dump();
      assert.deepEqual(seen, [`${registry.host} deprecated: use v3`, `${registry.host} token expires soon`]);
      await (await client.request({ method: 'GET', url: '/v2/many', scopes: [] })).body.dump();
      assert.equal(seen.length, 20, 'a registry cannot flood the user');
    });
  });
});
