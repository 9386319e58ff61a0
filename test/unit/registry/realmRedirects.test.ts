// Token realms that redirect: followed within a bound, credentials kept on the realm's own host only, no step
// from HTTPS to plain HTTP, the chain named in errors without queries or user info, and one deadline for all.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { AuthError, NetworkError, OciError } from '../../../src/core/oci/errors';
import { MAX_REALM_REDIRECTS, sendToRealmFollowing, type TokenSender } from '../../../src/core/registry/realmRedirects';
import { RegistryClient } from '../../../src/core/registry/RegistryClient';
import { reply, startScriptedServer, type ScriptedServer } from './scriptedServer';

const servers: ScriptedServer[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function scripted(...args: Parameters<typeof startScriptedServer>): Promise<ScriptedServer> {
  const server = await startScriptedServer(...args);
  servers.push(server);
  return server;
}

/** A registry on 127.0.0.1 whose realm is its own `/token`, answered by `realm`; any issued token is accepted. */
async function registryWithRealm(
  realm: (req: { url: string; method: string }, res: Parameters<typeof reply>[0]) => void,
) {
  return scripted((req, res, hit) => {
    if (hit.url.startsWith('/token')) return realm({ url: hit.url, method: hit.method }, res);
    if (req.headers.authorization === 'Bearer issued') return reply(res, 200, {}, '');
    reply(res, 401, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="s"` });
  });
}

function client(
  server: ScriptedServer,
  credentials: { username?: string; password?: string; identityToken?: string },
  requestTimeoutMs?: number,
) {
  const c = new RegistryClient(
    { host: server.host, plainHttp: true },
    {
      retry: { baseDelayMs: 5, retries: 0 },
      credentials: { explicit: { [server.host]: credentials }, ignoreToolConfig: true },
      ...(requestTimeoutMs ? { limits: { requestTimeoutMs } } : {}),
    },
  );
  clients.push(c);
  return c;
}

const TOKEN_ANSWER = JSON.stringify({ token: 'issued', expires_in: 300 });

describe('token realms that redirect', () => {
  it('takes the Basic header along on the realm own origin and drops it on a hop to another host, which still issues a token', async () => {
    const elsewhere = await scripted((_req, res) => reply(res, 200, {}, TOKEN_ANSWER), 'localhost');
    const registry = await registryWithRealm((req, res) => {
      if (req.url.startsWith('/token/moved')) return reply(res, 307, { location: `${elsewhere.origin}/issue` });
      reply(res, 302, { location: `/token/moved?${req.url.split('?')[1] ?? ''}` });
    });
    const res = await client(registry, { username: 'u', password: 'secret-password' }).request({
      method: 'GET',
      url: '/v2/',
      scopes: [],
    });
    await res.body.dump();
    assert.equal(res.status, 200);
    const realmHits = registry.hits.filter((h) => h.url.startsWith('/token'));
    assert.equal(realmHits.length, 2);
    assert.ok(realmHits.every((h) => /^Basic /.test(h.headers.authorization ?? '')));
    assert.equal(elsewhere.hits.length, 1);
    assert.equal(elsewhere.hits[0]!.headers.authorization, undefined);
  });

  it('refuses to carry a refresh token (POST body) to another origin, naming the chain without its query', async () => {
    const elsewhere = await scripted((_req, res) => reply(res, 200, {}, TOKEN_ANSWER), 'localhost');
    const registry = await registryWithRealm((_req, res) =>
      reply(res, 307, { location: `${elsewhere.origin}/collect?sig=abc` }),
    );
    await assert.rejects(
      client(registry, { identityToken: 'refresh-secret' }).request({ method: 'GET', url: '/v2/', scopes: [] }),
      (err: unknown) =>
        err instanceof OciError &&
        /carries a refresh token, to another origin/.test(err.message) &&
        err.message.includes(`${registry.origin}/token → ${elsewhere.origin}/collect`) &&
        !/sig=|refresh-secret/.test(err.message),
    );
    assert.equal(elsewhere.hits.length, 0);
  });

  it(`follows ${MAX_REALM_REDIRECTS} redirects and refuses the next one`, async () => {
    const chainOf = (hops: number) =>
      registryWithRealm((req, res) => {
        const at = Number(/^\/token\/(\d+)/.exec(req.url)?.[1] ?? 0);
        if (at < hops) return reply(res, 308, { location: `/token/${at + 1}` });
        reply(res, 200, {}, TOKEN_ANSWER);
      });
    const ten = await chainOf(MAX_REALM_REDIRECTS);
    const ok = await client(ten, { username: 'u', password: 'p' }).request({ method: 'GET', url: '/v2/', scopes: [] });
    await ok.body.dump();
    assert.equal(ok.status, 200);
    const eleven = await chainOf(MAX_REALM_REDIRECTS + 1);
    await assert.rejects(
      client(eleven, { username: 'u', password: 'p' }).request({ method: 'GET', url: '/v2/', scopes: [] }),
      (err: unknown) =>
        err instanceof OciError &&
        new RegExp(`redirected more than ${MAX_REALM_REDIRECTS} times`).test(err.message) &&
        err.message.includes('/token/11'),
    );
  });

  /** A realm whose every answer comes `waitMs` late; `body` sends a 200's body in two halves, `waitMs` apart. */
  function slowly(waitMs: number, answer: (url: string, method: string, res: Parameters<typeof reply>[0]) => void) {
    return registryWithRealm((req, res) => setTimeout(() => answer(req.url, req.method, res), waitMs));
  }
  const overDeadline = (err: unknown) => err instanceof NetworkError && /within the request deadline/.test(err.message);

  it('keeps one deadline when the last hop is slow too: each hop within its own deadline, the chain over it', async () => {
    const registry = await slowly(400, (url, _method, res) =>
      url.startsWith('/token/next') ? reply(res, 200, {}, TOKEN_ANSWER) : reply(res, 302, { location: '/token/next' }),
    );
    await assert.rejects(
      client(registry, { username: 'u', password: 'p' }, 600).request({ method: 'GET', url: '/v2/', scopes: [] }),
      overDeadline,
    );
  });

  it('keeps one deadline across the refresh-token POST and the GET asked after it was refused', async () => {
    const registry = await slowly(400, (_url, method, res) =>
      method === 'POST' ? reply(res, 404, {}, '{}') : reply(res, 200, {}, TOKEN_ANSWER),
    );
    await assert.rejects(
      client(registry, { identityToken: 'refresh' }, 600).request({ method: 'GET', url: '/v2/', scopes: [] }),
      overDeadline,
    );
    assert.deepEqual(
      registry.hits.filter((h) => h.url.startsWith('/token')).map((h) => h.method),
      ['POST', 'GET'],
    );
  });

  it('keeps one deadline over the body of the answer at the end of a chain', async () => {
    const registry = await slowly(400, (url, _method, res) => {
      if (!url.startsWith('/token/next')) return reply(res, 307, { location: '/token/next' });
      res.writeHead(200, { 'content-length': String(TOKEN_ANSWER.length) });
      res.write(TOKEN_ANSWER.slice(0, 5));
      setTimeout(() => res.end(TOKEN_ANSWER.slice(5)), 400).unref();
    });
    await assert.rejects(
      client(registry, { username: 'u', password: 'p' }, 1000).request({ method: 'GET', url: '/v2/', scopes: [] }),
      overDeadline,
    );
  });

  it('names the chain when the token service at its end refuses the credentials', async () => {
    const registry = await registryWithRealm((req, res) => {
      if (req.url.startsWith('/token/next')) return reply(res, 401, {}, '{}');
      reply(res, 301, { location: '/token/next' });
    });
    await assert.rejects(
      client(registry, { username: 'u', password: 'p' }).request({ method: 'GET', url: '/v2/', scopes: [] }),
      (err: unknown) =>
        err instanceof AuthError &&
        err.message.includes(`reached through ${registry.origin}/token → ${registry.origin}/token/next`),
    );
  });
});

describe('sendToRealmFollowing', () => {
  /** A sender that answers from a script per URL and records what each hop carried. */
  function scriptedSender(script: (url: URL) => { status: number; location?: string; waitMs?: number }) {
    const sent: { url: string; method: string; authorization?: string; body?: string }[] = [];
    const send: TokenSender = async (url, init) => {
      sent.push({ url: url.href, method: init.method, authorization: init.headers.authorization, body: init.body });
      const step = script(url);
      if (step.waitMs) await new Promise((resolve) => setTimeout(resolve, step.waitMs));
      return {
        statusCode: step.status,
        headers: step.location ? { location: step.location } : {},
        body: Object.assign(Readable.from([]), { dump: async () => undefined }),
      } as unknown as Dispatcher.ResponseData;
    };
    return { send, sent };
  }
  const options = { host: 'r.example', deadlineMs: 60_000 };
  const basic = { method: 'GET' as const, headers: { authorization: 'Basic dTpw' } };

  it('refuses a step from HTTPS to plain HTTP, even on the same host', async () => {
    const { send, sent } = scriptedSender((url) =>
      url.pathname === '/token' ? { status: 302, location: 'http://auth.example/token2' } : { status: 200 },
    );
    await assert.rejects(
      sendToRealmFollowing(send, new URL('https://auth.example/token'), basic, options),
      (err: unknown) => err instanceof OciError && /from HTTPS to plain HTTP/.test(err.message),
    );
    assert.equal(sent.length, 1);
  });

  it('keeps the Basic header on an upgrade to HTTPS on the same host, and drops it on another host', async () => {
    const { send, sent } = scriptedSender((url) => {
      if (url.href === 'http://auth.example/token') return { status: 301, location: 'https://auth.example/token' };
      if (url.href === 'https://auth.example/token') return { status: 307, location: 'https://cdn.example/t' };
      return { status: 200 };
    });
    const { chain } = await sendToRealmFollowing(send, new URL('http://auth.example/token'), basic, options);
    assert.equal(chain.length, 3);
    assert.deepEqual(
      sent.map((s) => s.authorization),
      ['Basic dTpw', 'Basic dTpw', undefined],
    );
  });

  it('turns a POST into a GET without its body on 301, 302 and 303, and keeps both on 307 and 308', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const { send, sent } = scriptedSender((url) =>
        url.pathname === '/token' ? { status, location: '/token/next' } : { status: 200 },
      );
      await sendToRealmFollowing(
        send,
        new URL('https://auth.example/token'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'a=b',
          bodyIsSecret: true,
        },
        options,
      );
      const kept = status === 307 || status === 308;
      assert.equal(sent[1]!.method, kept ? 'POST' : 'GET', String(status));
      assert.equal(sent[1]!.body, kept ? 'a=b' : undefined, String(status));
    }
  });

  it('gives the whole chain one deadline', async () => {
    const { send, sent } = scriptedSender((url) => ({
      status: 307,
      location: `/token/${Number(url.pathname.split('/')[2] ?? 0) + 1}`,
      waitMs: 30,
    }));
    await assert.rejects(
      sendToRealmFollowing(send, new URL('https://auth.example/token'), basic, { ...options, deadlineMs: 50 }),
      (err: unknown) => err instanceof NetworkError && /within the request deadline/.test(err.message),
    );
    assert.ok(sent.length < MAX_REALM_REDIRECTS);
  });

  it('names the chain by origin and path only: user info and queries stay out of the message', async () => {
    const { send } = scriptedSender(() => ({
      status: 302,
      location: 'ftp://user:pw@files.example/t?X-Amz-Signature=s',
    }));
    await assert.rejects(
      sendToRealmFollowing(send, new URL('https://auth.example/token'), basic, options),
      (err: unknown) =>
        err instanceof OciError && /not HTTP\(S\)/.test(err.message) && !/pw|Signature|user:/.test(err.message),
    );
  });
});
