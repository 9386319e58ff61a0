// Proves the test harness: each registry variant starts, accepts a blob pushed by a minimal raw HTTP client
// (POST upload, PUT ?digest=) and returns the same bytes — with Basic auth over TLS trusting only the per-run
// CA, and with a Bearer token obtained from the tests' token server.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request, type Dispatcher } from 'undici';
import { startRegistry, type RegistryVariant, type TestRegistry } from '../fixtures/registry';

/** Asks the token server for a token the way distribution's challenge says (test-only, no parsing library). */
async function bearerFor(
  challenge: string,
  username: string,
  password: string,
  dispatcher: Dispatcher,
): Promise<string> {
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1];
  const realm = new URL(param('realm')!);
  realm.searchParams.set('service', param('service')!);
  realm.searchParams.append('scope', param('scope')!);
  const res = await request(realm, {
    dispatcher,
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  });
  assert.equal(res.statusCode, 200);
  return ((await res.body.json()) as { token: string }).token;
}

async function pushAndFetch(registry: TestRegistry, repository: string): Promise<void> {
  const dispatcher = new Agent({ connect: registry.caFile ? { ca: fs.readFileSync(registry.caFile) } : {} });
  try {
    const blob = randomBytes(4096);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    let authorization: string | undefined;
    if (registry.variant === 'basic-tls') {
      authorization = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
    }
    const send = async (method: Dispatcher.HttpMethod, url: string, body?: Buffer) => {
      let res = await request(url, {
        method,
        dispatcher,
        body,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(body ? { 'content-type': 'application/octet-stream' } : {}),
        },
      });
      if (res.statusCode === 401 && registry.variant === 'token') {
        await res.body.dump();
        const challenge = String(res.headers['www-authenticate']);
        authorization = `Bearer ${await bearerFor(challenge, registry.username!, registry.password!, dispatcher)}`;
        res = await request(url, {
          method,
          dispatcher,
          body,
          headers: { authorization, ...(body ? { 'content-type': 'application/octet-stream' } : {}) },
        });
      }
      return res;
    };

    const started = await send('POST', `${registry.url}/v2/${repository}/blobs/uploads/`);
    await started.body.dump();
    assert.equal(started.statusCode, 202);
    const location = new URL(String(started.headers.location), registry.url);
    location.searchParams.set('digest', digest);
    const finished = await send('PUT', location.toString(), blob);
    await finished.body.dump();
    assert.equal(finished.statusCode, 201);

    const fetched = await send('GET', `${registry.url}/v2/${repository}/blobs/${digest}`);
    assert.equal(fetched.statusCode, 200);
    assert.deepEqual(Buffer.from(await fetched.body.arrayBuffer()), blob);
  } finally {
    await dispatcher.close();
  }
}

describe('integration harness', function () {
  for (const variant of ['plain', 'basic-tls', 'token'] as RegistryVariant[]) {
    describe(`${variant} registry`, () => {
      let registry: TestRegistry;
      before(async () => {
        registry = await startRegistry({ variant });
      });
      after(async () => {
        await registry?.stop();
      });

      it('accepts a pushed blob and serves the same bytes back', async () => {
        await pushAndFetch(registry, 'harness/blob');
      });
    });
  }

  it('requires credentials on the basic-tls variant and trusts only its own CA', async () => {
    const registry = await startRegistry({ variant: 'basic-tls' });
    try {
      const trusting = new Agent({ connect: { ca: fs.readFileSync(registry.caFile!) } });
      const res = await request(`${registry.url}/v2/`, { dispatcher: trusting });
      await res.body.dump();
      assert.equal(res.statusCode, 401);
      assert.match(String(res.headers['www-authenticate']), /^Basic realm="stowage-test"/);
      await trusting.close();
      await assert.rejects(
        request(`${registry.url}/v2/`, { dispatcher: new Agent() }),
        (err: Error & { code?: string }) => /CERT|certificate/i.test(`${err.code} ${err.message}`),
      );
    } finally {
      await registry.stop();
    }
  });

  it('records token requests and grants a pull-only user no push', async () => {
    const registry = await startRegistry({ variant: 'token' });
    try {
      const { tokenServer } = registry;
      const realm = new URL(tokenServer!.realm);
      realm.searchParams.set('service', 'stowage-test-registry');
      realm.searchParams.append('scope', 'repository:harness/a:pull,push');
      const reader = registry.users!.reader!;
      const res = await request(realm, {
        headers: { authorization: `Basic ${Buffer.from(`reader:${reader.password}`).toString('base64')}` },
      });
      await res.body.dump();
      const recorded = tokenServer!.requests.at(-1)!;
      assert.deepEqual(recorded.scopes, ['repository:harness/a:pull,push']);
      assert.equal(recorded.user, 'reader');
      assert.equal(recorded.basicCredentials, true);
      assert.deepEqual(recorded.granted, [{ type: 'repository', name: 'harness/a', actions: ['pull'] }]);
    } finally {
      await registry.stop();
    }
  });

  it('serves the storage of a stopped registry when a new one starts on its storageDir', async () => {
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-harness-storage-'));
    try {
      const first = await startRegistry({ variant: 'plain', storageDir });
      await pushAndFetch(first, 'harness/kept');
      await first.stop();
      assert.ok(fs.existsSync(path.join(storageDir, 'docker')), 'storage given by the test is kept after stop');
      const second = await startRegistry({ variant: 'plain', storageDir });
      try {
        const res = await request(`${second.url}/v2/_catalog`);
        assert.deepEqual(await res.body.json(), { repositories: ['harness/kept'] });
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(storageDir, { recursive: true, force: true });
    }
  });

  it('keeps content across restart on the same storage', async () => {
    const registry = await startRegistry({ variant: 'plain' });
    try {
      await pushAndFetch(registry, 'harness/restart');
      const before = registry.pid;
      await registry.restart();
      assert.notEqual(registry.pid, before);
      const res = await request(`${registry.url}/v2/_catalog`);
      assert.deepEqual(await res.body.json(), { repositories: ['harness/restart'] });
    } finally {
      await registry.stop();
    }
  });
});
