// Registry behaviours beyond referrers that users meet on real registries: saved logins that go stale while a
// client lives on (a credential helper's short-lived passwords: ECR, GAR, ACR), and manifests whose HEAD fails
// where GET works. Token auth runs against real distribution with the tests' token server; the quirks no real
// registry here produces run against the scripted registry (fixtures/quirksRegistry).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AuthError, OciError, RateLimitError } from '../../src/core/oci/errors';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { LayoutTarget } from '../../src/core/layout';
import { makeServerCertificates } from '../fixtures/certificates';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor, configFor, bufferContent, smallArtifact } from '../fixtures/registryClients';
import { startQuirksRegistry, type QuirksRegistry } from '../fixtures/quirksRegistry';
import { pushArtifact } from '../helpers/sampleArtifact';
import { cli, cliOk } from '../helpers/runCli';
import { digestOf } from '../../src/core/content/hashing';

/** A docker config whose credential helper answers whatever password `setPassword` last wrote. */
async function rotatingHelper(root: string, host: string, username: string) {
  const dockerDir = path.join(root, 'docker');
  const bin = path.join(root, 'bin');
  await fs.mkdir(dockerDir, { recursive: true });
  await fs.mkdir(bin, { recursive: true });
  const answer = path.join(root, 'answer.json');
  const calls = path.join(root, 'calls');
  await fs.writeFile(
    path.join(bin, 'docker-credential-rotating'),
    `#!/bin/sh\ncat > /dev/null\necho x >> "${calls}"\ncat "${answer}"\n`,
    { mode: 0o755 },
  );
  await fs.writeFile(path.join(dockerDir, 'config.json'), JSON.stringify({ credHelpers: { [host]: 'rotating' } }));
  const env: NodeJS.ProcessEnv = { PATH: `${bin}:${process.env.PATH}`, DOCKER_CONFIG: dockerDir, HOME: root };
  return {
    env,
    setPassword: (password: string) =>
      fs.writeFile(answer, JSON.stringify({ ServerURL: host, Username: username, Secret: password })),
    helperRuns: async () => (await fs.readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
  };
}

describe('registry quirks beyond referrers', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-regquirks-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('saved credentials renewed while the client lives on', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ variant: 'token' });
    });
    after(async () => {
      await registry?.stop();
    });

    it("reads a credential helper again when the token service refuses the password it gave earlier (gcloud's hour-long access tokens, ACR's)", async () => {
      const user = registry.users!.stowage!;
      const helper = await rotatingHelper(root, registry.host, 'stowage');
      await helper.setPassword(user.password);
      const client = new RegistryClient(configFor(registry), {
        retry: { baseDelayMs: 5 },
        credentials: { env: helper.env },
      });
      try {
        const first = new RegistryTarget(client, 'renewed/first');
        const artifact = smallArtifact(randomBytes(64));
        await first.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));

        // The helper's password expires and it hands out a new one; the client was not told.
        user.password = `renewed-${randomBytes(6).toString('hex')}`;
        await helper.setPassword(user.password);
        const start = registry.tokenServer!.requests.length;
        const second = new RegistryTarget(client, 'renewed/second');
        await second.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
        assert.equal(await second.exists(artifact.layerDescriptor), true);

        // One refusal of the old password, then every token (push, then pull) with the new one from the helper.
        const asked = registry.tokenServer!.requests.slice(start).map((r) => [r.status, r.user ?? null]);
        assert.deepEqual(asked, [
          [401, null],
          [200, 'stowage'],
          [200, 'stowage'],
        ]);
        assert.equal(await helper.helperRuns(), 2);
      } finally {
        await client.close();
      }
    });

    it('does not read credentials given to the command again: their refusal is final', async () => {
      const client = new RegistryClient(configFor(registry), {
        retry: { baseDelayMs: 5 },
        credentials: {
          explicit: { [registry.host]: { username: 'stowage', password: 'wrong' } },
          ignoreToolConfig: true,
        },
      });
      try {
        const start = registry.tokenServer!.requests.length;
        await assert.rejects(
          new RegistryTarget(client, 'renewed/given').exists(smallArtifact(randomBytes(8)).layerDescriptor),
          (err: unknown) => err instanceof AuthError && err.credentials === 'given',
        );
        assert.equal(registry.tokenServer!.requests.length - start, 1);
      } finally {
        await client.close();
      }
    });
  });

  describe('a token realm that redirects (a token service behind a load balancer, a renamed path)', () => {
    for (const status of [307, 302] as const) {
      it(`follows ${status} redirects of the realm: the password goes along on its own origin, a refresh token only where ${status} keeps the POST`, async () => {
        const registry = await startRegistry({ variant: 'token', realmRedirects: { status, hops: 3 } });
        const byPassword = clientFor(registry, { retry: { baseDelayMs: 5 } });
        const refresh = registry.tokenServer!.issueRefreshToken('stowage');
        const byRefreshToken = clientFor(registry, { retry: { baseDelayMs: 5 }, as: { identityToken: refresh } });
        try {
          const artifact = smallArtifact(randomBytes(64));
          const target = new RegistryTarget(byPassword, 'moved/realm');
          await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
          assert.equal(await target.exists(artifact.layerDescriptor), true);
          // Every hop was on the realm's origin, so the Basic header went along; the last hop issued the token.
          const redirected = registry.tokenServer!.redirected;
          assert.ok(redirected.length >= 3);
          assert.ok(redirected.every((r) => r.basicCredentials && r.method === 'GET'));
          assert.ok(registry.tokenServer!.requests.every((r) => r.user === 'stowage' && r.status === 200));

          const pulled = new RegistryTarget(byRefreshToken, 'moved/realm');
          if (status === 307) {
            assert.equal(await pulled.exists(artifact.layerDescriptor), true);
            const post = registry.tokenServer!.requests.find((r) => r.method === 'POST');
            assert.equal(post?.user, 'stowage');
            assert.equal(post?.grantType, 'refresh_token');
          } else {
            // A 302 turns the POST into a GET without its body (as Go and browsers do): the refresh token stays
            // behind, so the token service sees an anonymous request, which this one refuses to grant.
            await assert.rejects(pulled.exists(artifact.layerDescriptor), (err: unknown) => err instanceof AuthError);
            assert.ok(registry.tokenServer!.requests.every((r) => r.method === 'GET'));
            assert.ok(redirected.some((r) => r.method === 'POST'));
          }
        } finally {
          await byPassword.close();
          await byRefreshToken.close();
          await registry.stop();
        }
      });
    }
  });

  for (const status of [404, 400, 401]) {
    it(`asks a token service that answers the OAuth2 POST ${status} (GCR, ACR, Artifactory) again by GET, the refresh token as the Basic password`, async () => {
      const registry = await startRegistry({ variant: 'token', refusePost: status });
      const refresh = registry.tokenServer!.issueRefreshToken('stowage');
      // ACR's identity tokens come with the user name 00000000-0000-0000-0000-000000000000 in docker config.json.
      const username = '00000000-0000-0000-0000-000000000000';
      const client = clientFor(registry, { retry: { baseDelayMs: 5 }, as: { username, identityToken: refresh } });
      try {
        const artifact = smallArtifact(randomBytes(64));
        const target = new RegistryTarget(client, 'no/oauth');
        await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
        assert.equal(await target.exists(artifact.layerDescriptor), true);
        const asked = registry.tokenServer!.requests.map((r) => [
          r.method,
          r.status,
          r.user ?? null,
          r.basicCredentials,
        ]);
        assert.deepEqual(asked.slice(0, 2), [
          ['POST', status, null, false],
          ['GET', 200, 'stowage', true],
        ]);
      } finally {
        await client.close();
        await registry.stop();
      }
    });
  }

  it('refuses an upload location on http:// from a registry reached over https:// (a proxy ending TLS without X-Forwarded-Proto), saying why, and sends no blob', async () => {
    const tls = makeServerCertificates(path.join(root, 'tls'));
    const seen: string[] = [];
    const server = https.createServer(
      { cert: await fs.readFile(tls.certFile), key: await fs.readFile(tls.keyFile) },
      (req, res) => {
        seen.push(`${req.method} ${req.url}`);
        req.resume();
        const host = req.headers.host ?? '';
        if (req.method === 'POST' && req.url === '/v2/app/blobs/uploads/') {
          res.writeHead(202, { location: `http://${host}/v2/app/blobs/uploads/1?_state=x`, 'content-length': '0' });
          return res.end();
        }
        res.writeHead(req.url === '/v2/' ? 200 : 404, { 'content-length': '0' });
        res.end();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new RegistryClient(
      { host, caFile: tls.caFile },
      { retry: { baseDelayMs: 5, retries: 1 }, credentials: { ignoreToolConfig: true } },
    );
    try {
      const artifact = smallArtifact(randomBytes(32));
      await assert.rejects(
        new RegistryTarget(client, 'app').pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer)),
        (err: unknown) =>
          err instanceof OciError &&
          /upload location on http:\/\/ although it is reached over https:\/\//.test(err.message) &&
          /X-Forwarded-Proto/.test(err.message),
      );
      assert.deepEqual(seen, ['POST /v2/app/blobs/uploads/']);
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe('scripted registry', () => {
    const registries: QuirksRegistry[] = [];
    after(async () => {
      await Promise.all(registries.map((r) => r.stop()));
    });
    async function start(quirks: Parameters<typeof startQuirksRegistry>[0]) {
      const registry = await startQuirksRegistry(quirks);
      registries.push(registry);
      return registry;
    }
    const setupClient = (registry: QuirksRegistry, username: string, password: string) =>
      new RegistryClient(
        { host: registry.host, plainHttp: true },
        {
          retry: { baseDelayMs: 5, retries: 1 },
          credentials: { explicit: { [registry.host]: { username, password } }, ignoreToolConfig: true },
        },
      );

    it('ECR: a helper\'s password that expired (403 "authorization token has expired") is read again and the request succeeds', async () => {
      const basicAuth = { username: 'AWS', password: 'token-1' };
      const registry = await start({ basicAuth, expiredPasswordForbidden: true });
      const setup = setupClient(registry, basicAuth.username, basicAuth.password);
      await pushArtifact(new RegistryTarget(setup, 'app'), 'the subject', { tag: 'v1' });
      await setup.close();

      const helper = await rotatingHelper(root, registry.host, 'AWS');
      await helper.setPassword('token-1');
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5, retries: 1 }, credentials: { env: helper.env } },
      );
      try {
        const target = new RegistryTarget(client, 'app');
        const before = await target.resolve('v1');
        // Twelve hours later: ECR refuses the old token with 403; the helper already has a new one.
        registry.quirks = { basicAuth: { ...basicAuth, password: 'token-2' }, expiredPasswordForbidden: true };
        await helper.setPassword('token-2');
        const after = await target.resolve('v1');
        assert.equal(after.digest, before.digest);
        assert.equal(await helper.helperRuns(), 2);
      } finally {
        await client.close();
      }
    });

    it('a docker login made after the client first found no credentials is used on the next request', async () => {
      const basicAuth = { username: 'late', password: 'login' };
      const registry = await start({ basicAuth });
      const setup = setupClient(registry, basicAuth.username, basicAuth.password);
      await pushArtifact(new RegistryTarget(setup, 'app'), 'the subject', { tag: 'v1' });
      await setup.close();

      const dockerDir = path.join(root, 'docker');
      await fs.mkdir(dockerDir);
      const env = { DOCKER_CONFIG: dockerDir, HOME: root, XDG_RUNTIME_DIR: path.join(root, 'run') };
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5, retries: 1 }, credentials: { env } },
      );
      try {
        const target = new RegistryTarget(client, 'app');
        await assert.rejects(target.resolve('v1'), (err: unknown) => err instanceof AuthError);
        const auth = Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64');
        await fs.writeFile(
          path.join(dockerDir, 'config.json'),
          JSON.stringify({ auths: { [registry.host]: { auth } } }),
        );
        // A refusal that found nothing new waits a moment before the credentials are read again.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        assert.match((await target.resolve('v1')).digest, /^sha256:/);
      } finally {
        await client.close();
      }
    });

    for (const status of [405, 400, 403]) {
      it(`resolves and checks a manifest by GET when its HEAD answers ${status} without a body`, async () => {
        const registry = await start({});
        const client = setupClient(registry, 'any', 'any');
        try {
          const target = new RegistryTarget(client, 'app');
          const pushed = await pushArtifact(target, 'the subject', { tag: 'v1' });
          registry.quirks = { headManifestStatus: status };
          const resolved = await target.resolve('v1');
          assert.equal(resolved.digest, pushed.manifest.digest);
          assert.equal(resolved.size, pushed.manifest.size);
          assert.equal(await target.exists(pushed.manifest), true);
          const missing = { ...pushed.manifest, digest: `sha256:${'0'.repeat(64)}` };
          assert.equal(await target.exists(missing), false);
        } finally {
          await client.close();
        }
      });
    }

    for (const [status, ignoreRange] of [
      [405, false],
      [403, true],
      [400, false],
      [401, false],
    ] as const) {
      it(`checks, sizes and skips blobs by a GET that reads no body when a blob HEAD answers ${status}${ignoreRange ? ' (and GET ignores Range)' : ''}`, async () => {
        const registry = await start({});
        const client = setupClient(registry, 'any', 'any');
        const env = { DOCKER_CONFIG: path.join(root, 'no-docker-config') };
        try {
          const target = new RegistryTarget(client, 'app');
          const layerBytes = randomBytes(200_000);
          const pushed = await pushArtifact(target, layerBytes, { tag: 'v1' });
          await pushArtifact(target, layerBytes, { tag: 'v2', title: 'the same layer.txt' });
          registry.quirks = { headBlobStatus: status, ignoreRange };
          const missing = `sha256:${'0'.repeat(64)}`;
          assert.equal(await target.exists(pushed.layer), true);
          assert.equal(await target.exists({ ...pushed.layer, digest: missing }), false);
          assert.equal((await target.statBlob(pushed.layer.digest))?.size, layerBytes.length);
          assert.equal(await target.statBlob(missing), undefined);
          // A copy into another repository mounts (the mount probe checks the empty blob by GET too); a copy of
          // another manifest with the same layer finds every blob there and uploads nothing (a manifest the
          // registry holds already would not have its blobs asked about at all).
          await cliOk(['copy', `${registry.host}/app:v1`, `${registry.host}/other:v1`, '--plain-http'], { env });
          const before = registry.requests.length;
          await cliOk(['copy', `${registry.host}/app:v2`, `${registry.host}/other:v2`, '--plain-http'], { env });
          const again = registry.requests.slice(before);
          assert.ok(!again.some((r) => /^(POST|PATCH|PUT) \/v2\/other\/blobs\//.test(r)), again.join('\n'));
          assert.ok(again.some((r) => r.startsWith(`GET /v2/other/blobs/${pushed.layer.digest}`)));
          assert.equal((await new RegistryTarget(client, 'other').statBlob(pushed.layer.digest))?.size, 200_000);
        } finally {
          await client.close();
        }
      });
    }

    it('asks a blob size by GET when its HEAD answers 200 without Content-Length, and trusts that HEAD for existence', async () => {
      const registry = await start({});
      const client = setupClient(registry, 'any', 'any');
      try {
        const target = new RegistryTarget(client, 'app');
        const pushed = await pushArtifact(target, randomBytes(5000), { tag: 'v1' });
        registry.quirks = { headBlobWithoutLength: true };
        const before = registry.requests.length;
        assert.equal(await target.exists(pushed.layer), true);
        assert.deepEqual(registry.requests.slice(before), [`HEAD /v2/app/blobs/${pushed.layer.digest}`]);
        assert.equal((await target.statBlob(pushed.layer.digest))?.size, 5000);
      } finally {
        await client.close();
      }
    });

    it('pushes through 429s answered to blob PUTs, a PATCH and a manifest PUT (GHCR, ECR and ACR request rates), starting each refused upload afresh', async () => {
      const registry = await start({ tooManyRequests: { blobPuts: 2, patches: 1, manifestPuts: 1 } });
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5, retries: 2 }, credentials: { ignoreToolConfig: true } },
      );
      try {
        const target = new RegistryTarget(client, 'app');
        const pushed = await pushArtifact(target, 'rate limited', { tag: 'v1' });
        const unhashed = await target.pushUnhashedBlob(bufferContent(Buffer.from('streamed without a digest')));
        assert.deepEqual(registry.quirks.tooManyRequests, { blobPuts: 0, patches: 0, manifestPuts: 0 });
        assert.equal((await target.resolve('v1')).digest, pushed.manifest.digest);
        assert.equal((await target.statBlob(unhashed.digest))?.size, unhashed.size);
        // Each refused upload session was given up and a new one started.
        const posts = registry.requests.filter((r) => /^POST \/v2\/app\/blobs\/uploads\/$/.test(r)).length;
        const deletes = registry.requests.filter((r) => r.startsWith('DELETE /v2/app/blobs/uploads/')).length;
        assert.equal(deletes, 3);
        assert.equal(posts, 3 + 3);

        // In chunks (for registries or proxies that cap a request's body), a refused PATCH starts over too.
        registry.quirks = { tooManyRequests: { patches: 1 } };
        const chunked = new RegistryTarget(client, 'app', { chunkedThreshold: 10, chunkSize: 16 });
        const bytes = randomBytes(40);
        const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length };
        await chunked.pushBlob(descriptor, bufferContent(bytes));
        assert.equal(registry.quirks.tooManyRequests!.patches, 0);
        assert.equal((await target.statBlob(descriptor.digest))?.size, 40);
      } finally {
        await client.close();
      }
    });

    it("gives up on a blob PUT still answered 429 after the retries, with the status and the registry's words", async () => {
      const registry = await start({ tooManyRequests: { blobPuts: 100 } });
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5, retries: 2 }, credentials: { ignoreToolConfig: true } },
      );
      try {
        await assert.rejects(
          pushArtifact(new RegistryTarget(client, 'app'), 'never accepted'),
          (err: unknown) => err instanceof OciError && /429/.test(err.message) && /TOOMANYREQUESTS/.test(err.message),
        );
        assert.equal(registry.quirks.tooManyRequests!.blobPuts, 100 - 3);
      } finally {
        await client.close();
      }
    });

    it('Docker Hub: a pull limit used up (429, ratelimit-remaining 0, no Retry-After) is asked once and named, not retried', async () => {
      const registry = await start({});
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5 }, credentials: { ignoreToolConfig: true } },
      );
      try {
        const target = new RegistryTarget(client, 'library/app');
        const pushed = await pushArtifact(target, 'pulled once too often');
        registry.quirks.pullLimitUsedUp = true;
        const before = registry.requests.length;
        await assert.rejects(target.fetchManifest(pushed.manifest.digest), (err: unknown) => {
          assert.ok(err instanceof RateLimitError && err.quotaUsedUp, String(err));
          assert.match(err.message, /: its limit of 100 requests per 6 hours is used up; logging in raises it/);
          return true;
        });
        const asked = registry.requests.slice(before).filter((r) => r.startsWith('GET ') && r.includes('/manifests/'));
        assert.equal(asked.length, 1, 'one GET: waiting seconds cannot renew a six-hour window');
      } finally {
        await client.close();
      }
    });

    it('Artifactory: a blob HEAD that says 200 for a blob it lacks is read back by GET when the manifest is refused, and the blob sent', async () => {
      const registry = await start({ headBlobSaysYes: true });
      const source = path.join(root, 'lying-head-source');
      const layout = await LayoutTarget.open(source, { create: true });
      const pushed = await pushArtifact(layout, 'a layer the registry claims to have', { tag: 'v1' });
      const copied = await cli(['copy', `oci:${source}:v1`, `${registry.host}/app:v1`]);
      assert.equal(copied.code, 0, copied.stderr);
      const puts = registry.requests.filter((r) => r.startsWith('PUT /v2/app/manifests/'));
      assert.equal(puts.length, 2, 'refused once for the blobs it lacked, then taken');
      const readBack = registry.requests.filter((r) => r.startsWith('GET /v2/app/blobs/'));
      assert.equal(readBack.length, 2, 'the config and the layer, skipped on its word, were read back');
      assert.equal(registry.requests.filter((r) => r.startsWith('POST /v2/app/blobs/uploads/')).length, 2);
      registry.quirks.headBlobSaysYes = false;
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { credentials: { ignoreToolConfig: true } },
      );
      try {
        const target = new RegistryTarget(client, 'app');
        assert.equal((await target.resolve('v1')).digest, pushed.manifest.digest);
        assert.ok(await target.exists(pushed.layer), 'the layer is there now');
      } finally {
        await client.close();
      }
    });

    it('ECR: a PATCH answered 201 instead of 202 still uploads, streamed whole or in chunks', async () => {
      const registry = await start({ patchAnswers201: true });
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5, retries: 1 }, credentials: { ignoreToolConfig: true } },
      );
      try {
        const target = new RegistryTarget(client, 'app');
        const streamed = Buffer.from('a file packed while it is hashed, as push does from 16 MiB');
        const unhashed = await target.pushUnhashedBlob(bufferContent(streamed), { expectedSize: streamed.length });
        assert.equal(unhashed.digest, digestOf(streamed));
        const bytes = randomBytes(40);
        const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length };
        await new RegistryTarget(client, 'app', { chunkedThreshold: 10, chunkSize: 16 }).pushBlob(
          descriptor,
          bufferContent(bytes),
        );
        assert.equal((await target.statBlob(unhashed.digest))?.size, streamed.length);
        assert.equal((await target.statBlob(descriptor.digest))?.size, 40);
      } finally {
        await client.close();
      }
    });

    it('ECR: a chunked upload whose second chunk is accepted but dropped (Range stays) is sent again whole, known digest or not', async () => {
      const registry = await start({ dropChunksAfterFirst: true });
      const client = new RegistryClient(
        { host: registry.host, plainHttp: true },
        { retry: { baseDelayMs: 5, retries: 1 }, credentials: { ignoreToolConfig: true } },
      );
      try {
        const chunked = new RegistryTarget(client, 'app', { chunkedThreshold: 10, chunkSize: 16 });
        const bytes = randomBytes(100);
        const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length };
        let reported = 0;
        await chunked.pushBlob(descriptor, bufferContent(bytes), { onBytes: (delta) => (reported += delta) });
        assert.equal((await chunked.statBlob(descriptor.digest))?.size, 100);
        assert.equal(reported, 100);
        // Two chunks, the second lost: the session is given up at once, and the blob goes up in one PUT.
        assert.equal(registry.requests.filter((r) => r.startsWith('PATCH ')).length, 2);
        assert.equal(registry.requests.filter((r) => r.startsWith('DELETE /v2/app/blobs/uploads/')).length, 1);

        const unhashedBytes = randomBytes(100);
        const unhashed = await chunked.pushUnhashedBlob(bufferContent(unhashedBytes), { expectedSize: 100 });
        assert.equal(unhashed.digest, digestOf(unhashedBytes));
        assert.equal((await chunked.statBlob(unhashed.digest))?.size, 100);
      } finally {
        await client.close();
      }
    });

    it('ECR: to an Amazon ECR host, chunks are never tried: the blob goes up in one request whatever was asked', async () => {
      const registry = await start({ dropChunksAfterFirst: true });
      const port = Number(registry.host.split(':')[1]);
      const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
      const client = new RegistryClient(
        { host: `${ecr}:${port}`, plainHttp: true },
        {
          retry: { baseDelayMs: 5, retries: 1 },
          credentials: { ignoreToolConfig: true },
          resolve: [{ host: ecr, port, address: '127.0.0.1', addressPort: port }],
        },
      );
      try {
        const chunked = new RegistryTarget(client, 'app', { chunkedThreshold: 10, chunkSize: 16 });
        const bytes = randomBytes(100);
        const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length };
        await chunked.pushBlob(descriptor, bufferContent(bytes));
        const unhashed = await chunked.pushUnhashedBlob(bufferContent(randomBytes(50)), { expectedSize: 50 });
        assert.equal((await chunked.statBlob(descriptor.digest))?.size, 100);
        assert.equal((await chunked.statBlob(unhashed.digest))?.size, 50);
        // The blob of known digest in one PUT; the unhashed one in one streamed PATCH (docker's way) and its PUT.
        assert.equal(registry.requests.filter((r) => r.startsWith('PATCH ')).length, 1);
        assert.equal(registry.requests.filter((r) => r.startsWith('DELETE ')).length, 0);
      } finally {
        await client.close();
      }
    });

    it('resolves a tag by GET when HEAD answers without Docker-Content-Digest or Content-Length (Red Hat, Nexus)', async () => {
      const registry = await start({});
      const client = setupClient(registry, 'any', 'any');
      try {
        const target = new RegistryTarget(client, 'app');
        const pushed = await pushArtifact(target, 'the subject', { tag: 'v1' });
        registry.quirks = { headWithoutDigest: true };
        const resolved = await target.resolve('v1');
        assert.equal(resolved.digest, pushed.manifest.digest);
        assert.equal(resolved.size, pushed.manifest.size);
        assert.ok(registry.requests.includes('GET /v2/app/manifests/v1'));
      } finally {
        await client.close();
      }
    });

    it('sends chunks of at least the OCI-Chunk-Min-Length the registry announces, when smaller ones were asked for', async () => {
      const registry = await start({ chunkMinLength: 32 });
      const client = setupClient(registry, 'any', 'any');
      try {
        const target = new RegistryTarget(client, 'app', { chunkedThreshold: 10, chunkSize: 16 });
        const bytes = randomBytes(100);
        const descriptor = { mediaType: 'application/octet-stream', digest: digestOf(bytes), size: bytes.length };
        await target.pushBlob(descriptor, bufferContent(bytes));
        assert.equal((await target.statBlob(descriptor.digest))?.size, 100);
        assert.equal(registry.requests.filter((r) => r.startsWith('PATCH ')).length, 4);
      } finally {
        await client.close();
      }
    });

    it('old ECR: a push refused for its artifactType says to push the image-spec v1.0 form, which that registry takes', async () => {
      const registry = await start({ refuseArtifactType: true });
      const file = path.join(root, 'notes.txt');
      await fs.writeFile(file, 'release notes');
      const ref = `${registry.host}/app:v1`;
      const env = { DOCKER_CONFIG: path.join(root, 'no-docker-config') };
      const refused = await cli(['push', ref, `${file}:text/plain`, '--plain-http'], { env });
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /Invalid parameter at 'ImageManifest'/);
      assert.match(refused.stderr, /hint: .*--image-spec v1\.0/);
      const pushed = await cliOk(['push', ref, `${file}:text/plain`, '--plain-http', '--image-spec', 'v1.0'], { env });
      assert.match(pushed.stdout, /sha256:[0-9a-f]{64}/);
      // The hint is not given to a push that is already in the v1.0 form, nor to other refusals.
      registry.quirks = { refuseArtifactType: true, tooManyRequests: { manifestPuts: 100 } };
      const busy = await cli(['push', ref, `${file}:text/plain`, '--plain-http', '--image-spec', 'v1.0'], { env });
      assert.notEqual(busy.code, 0);
      assert.doesNotMatch(busy.stderr, /--image-spec/);
    });

    it("names the registry's reason for a refused HEAD, which only a GET carries (ECR's expired token)", async () => {
      const basicAuth = { username: 'AWS', password: 'token-1' };
      const registry = await start({ basicAuth, expiredPasswordForbidden: true });
      const setup = setupClient(registry, basicAuth.username, basicAuth.password);
      await pushArtifact(new RegistryTarget(setup, 'app'), 'the subject', { tag: 'v1' });
      await setup.close();
      const client = setupClient(registry, 'AWS', 'token-0');
      try {
        await assert.rejects(
          new RegistryTarget(client, 'app').resolve('v1'),
          (err: unknown) =>
            err instanceof OciError && err.code === 'DENIED' && /authorization token has expired/.test(err.message),
        );
      } finally {
        await client.close();
      }
    });
  });
});
