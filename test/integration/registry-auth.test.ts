// Authentication against real distribution: Bearer token exchange with the tests' token server (scopes asked,
// escalation, refresh tokens, renewal, pull-only users), Basic over TLS, and secrets kept out of logs and errors.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AuthError, OciError } from '../../src/core/oci/errors';
import type { HttpLogEntry } from '../../src/core/registry/httpLog';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { bufferContent, clientFor, smallArtifact } from '../fixtures/registryClients';

describe('registry authentication', function () {
  describe('with a token server', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ variant: 'token' });
    });
    after(async () => {
      await registry?.stop();
    });
    const requestsSince = (start: number) => registry.tokenServer!.requests.slice(start);

    it('asks for pull, then escalates to pull,push for a push, sending Basic credentials to the realm', async () => {
      const client = clientFor(registry);
      const target = new RegistryTarget(client, 'escalate/app');
      const start = registry.tokenServer!.requests.length;
      const artifact = smallArtifact(randomBytes(300));
      assert.equal(await target.exists(artifact.layerDescriptor), false);
      await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
      assert.equal(await target.exists(artifact.layerDescriptor), true);
      const asked = requestsSince(start);
      assert.deepEqual(
        asked.map((r) => r.scopes),
        [['repository:escalate/app:pull'], ['repository:escalate/app:pull,push']],
      );
      assert.ok(
        asked.every((r) => r.basicCredentials && r.user === 'stowage' && r.service === 'stowage-test-registry'),
      );
      await client.close();
    });

    it('widens the scope set to what an insufficient_scope challenge names', async () => {
      const client = clientFor(registry);
      const start = registry.tokenServer!.requests.length;
      await new RegistryTarget(client, 'escalate/raw').exists(smallArtifact(randomBytes(10)).layerDescriptor);
      // Send the upload with the cached pull token: distribution answers insufficient_scope naming pull,push.
      const res = await client.request({
        method: 'POST',
        url: '/v2/escalate/raw/blobs/uploads/',
        scopes: ['repository:escalate/raw:pull'],
        headers: { 'content-length': '0' },
      });
      await res.body.dump();
      assert.equal(res.status, 202);
      assert.deepEqual(
        requestsSince(start).map((r) => r.scopes),
        [['repository:escalate/raw:pull'], ['repository:escalate/raw:pull,push']],
      );
      await client.close();
    });

    it('asks for the source repository pull scope together with the destination for a mount', async () => {
      const client = clientFor(registry);
      const artifact = smallArtifact(randomBytes(100));
      await new RegistryTarget(client, 'mount/src').pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
      const start = registry.tokenServer!.requests.length;
      assert.equal(
        await new RegistryTarget(client, 'mount/dst').mountBlob(artifact.layerDescriptor, 'mount/src'),
        true,
      );
      assert.deepEqual(
        requestsSince(start).map((r) => r.scopes),
        [['repository:mount/dst:pull,push', 'repository:mount/src:pull']],
      );
      await client.close();
    });

    it('reports DENIED when a pull-only user pushes, after asking for pull,push once', async () => {
      const client = clientFor(registry, { as: { username: 'reader', password: registry.users!.reader!.password } });
      const start = registry.tokenServer!.requests.length;
      const artifact = smallArtifact(randomBytes(100));
      await assert.rejects(
        new RegistryTarget(client, 'readonly/app').pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer)),
        (e: unknown) =>
          e instanceof AuthError &&
          e.code === 'DENIED' &&
          /denied "repository:readonly\/app:pull,push" to the credentials given to the command \(-u with -p or --password-stdin, or --identity-token;/.test(
            e.message,
          ),
      );
      const asked = requestsSince(start);
      assert.ok(asked.length >= 1 && asked.length <= 2, `token requests: ${asked.length}`);
      assert.ok(asked.every((r) => r.user === 'reader' && r.scopes.join() === 'repository:readonly/app:pull,push'));
      assert.deepEqual(asked.at(-1)!.granted, [{ type: 'repository', name: 'readonly/app', actions: ['pull'] }]);
      await client.close();
    });

    it('reports UNAUTHORIZED without credentials, having asked the realm anonymously', async () => {
      const client = clientFor(registry, { as: 'anonymous' });
      const start = registry.tokenServer!.requests.length;
      await assert.rejects(
        new RegistryTarget(client, 'private/app').resolve('latest'),
        (e: unknown) =>
          e instanceof AuthError && e.code === 'UNAUTHORIZED' && /no credentials were found/.test(e.message),
      );
      assert.ok(requestsSince(start).every((r) => !r.basicCredentials));
      assert.equal(await client.credentialSource(), 'anonymous');
      await client.close();
    });

    it('exchanges an identity token by POST with grant_type=refresh_token', async () => {
      const client = clientFor(registry, { as: { identityToken: registry.tokenServer!.issueRefreshToken('stowage') } });
      const start = registry.tokenServer!.requests.length;
      const artifact = smallArtifact(randomBytes(100));
      await new RegistryTarget(client, 'identity/app').pushBlob(
        artifact.layerDescriptor,
        bufferContent(artifact.layer),
      );
      const asked = requestsSince(start);
      assert.ok(asked.length >= 1);
      assert.ok(
        asked.every(
          (r) => r.method === 'POST' && r.grantType === 'refresh_token' && r.user === 'stowage' && !r.basicCredentials,
        ),
      );
      await client.close();
    });

    it('never logs the password or a token, and logs method, URL, status and duration of every exchange', async () => {
      const entries: HttpLogEntry[] = [];
      const client = clientFor(registry, { logger: (e) => entries.push(e) });
      const target = new RegistryTarget(client, 'logged/app');
      const artifact = smallArtifact(randomBytes(100));
      await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
      await target
        .pushManifest(artifact.manifestDescriptor, artifact.manifestBytes, { tag: 'v1' })
        .catch(() => undefined);
      const logged = JSON.stringify(entries);
      assert.ok(!logged.includes(registry.password!), 'password logged');
      for (const token of registry.tokenServer!.issuedTokens) assert.ok(!logged.includes(token), 'token logged');
      assert.ok(
        entries.some(
          (e) => e.method === 'PUT' && e.status === 201 && e.durationMs >= 0 && e.url.includes('digest=sha256'),
        ),
      );
      assert.ok(entries.some((e) => e.url.startsWith(registry.tokenServer!.realm)));
      await client.close();
    });
  });

  it('renews a token when it expires', async function () {
    const registry = await startRegistry({ variant: 'token', tokenExpiresIn: 1 });
    const client = clientFor(registry);
    try {
      const target = new RegistryTarget(client, 'renew/app');
      const artifact = smallArtifact(randomBytes(10));
      await target.exists(artifact.layerDescriptor);
      await target.exists(artifact.layerDescriptor);
      const beforeExpiry = registry.tokenServer!.requests.length;
      await new Promise((r) => setTimeout(r, 1100));
      await target.exists(artifact.layerDescriptor);
      assert.equal(registry.tokenServer!.requests.length, beforeExpiry + 1);
    } finally {
      await client.close();
      await registry.stop();
    }
  });

  it('a token service that went away while the registry still runs is named as what cannot be reached, not the registry', async function () {
    const registry = await startRegistry({ variant: 'token', tokenExpiresIn: 1 });
    const client = clientFor(registry, { retry: { retries: 0 } });
    try {
      const target = new RegistryTarget(client, 'realm-gone/app');
      const artifact = smallArtifact(randomBytes(10));
      assert.equal(await target.exists(artifact.layerDescriptor), false);
      const realm = new URL(registry.tokenServer!.realm).host;
      await registry.tokenServer!.close();
      await new Promise((r) => setTimeout(r, 1100)); // the token expired: a new one is asked of the service
      await assert.rejects(target.exists(artifact.layerDescriptor), (e: unknown) => {
        assert.ok(OciError.is(e, 'NETWORK'), String(e));
        assert.ok(
          e.message.startsWith(`cannot reach ${realm}, the token service of ${registry.host} (ECONNREFUSED)`),
          e.message,
        );
        assert.ok(!/is the registry running/.test(e.message), e.message);
        return true;
      });
    } finally {
      await client.close();
      await registry.stop();
    }
  });

  describe('with Basic auth over TLS', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ variant: 'basic-tls' });
    });
    after(async () => {
      await registry?.stop();
    });

    it('reports rejected credentials with their source and without the password', async () => {
      const wrong = `wrong-${randomBytes(6).toString('hex')}`;
      const client = clientFor(registry, { as: { username: 'stowage', password: wrong } });
      await assert.rejects(new RegistryTarget(client, 'basic/app').resolve('v1'), (e: unknown) => {
        assert.ok(e instanceof AuthError && e.code === 'UNAUTHORIZED');
        assert.match(
          e.message,
          /rejected the credentials given to the command \(-u with -p or --password-stdin, or --identity-token;/,
        );
        assert.ok(!e.message.includes(wrong));
        return true;
      });
      await client.close();
    });

    it('fails with a TLS error when the registry CA is not configured', async () => {
      const client = new RegistryClient(
        { host: registry.host },
        { credentials: { ignoreToolConfig: true }, retry: { retries: 0 } },
      );
      await assert.rejects(new RegistryTarget(client, 'basic/app').resolve('v1'), (e: unknown) =>
        OciError.is(e, 'TLS'),
      );
      await client.close();
    });

    it('connects with skipTlsVerify as an explicit per-registry opt-in', async () => {
      const client = new RegistryClient(
        { host: registry.host, skipTlsVerify: true },
        {
          credentials: {
            explicit: { [registry.host]: { username: registry.username, password: registry.password } },
            ignoreToolConfig: true,
          },
        },
      );
      await assert.rejects(new RegistryTarget(client, 'basic/app').resolve('v1'), (e: unknown) =>
        OciError.is(e, 'NOT_FOUND'),
      );
      await client.close();
    });
  });
});
