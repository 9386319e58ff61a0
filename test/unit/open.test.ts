import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { openTarget } from '../../src/core/open';
import { LayoutTarget } from '../../src/core/layout';
import type { StoreRef } from '../../src/core/oci';
import { Connections, RegistryTarget, type HostSettings, type RegistryConfig } from '../../src/core/registry';
import { reply, startScriptedServer } from './registry/scriptedServer';

describe('openTarget', () => {
  let dir: string;
  let connections: Connections;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-open-'));
    connections = new Connections(() => ({}));
  });
  afterEach(async () => {
    await connections.clear();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('opens an oci: reference as a layout and a host/repository reference as a registry repository', async () => {
    const layout = await openTarget(`oci:${dir}:v1`, connections, { create: true });
    assert.ok(layout.target instanceof LayoutTarget);
    assert.deepEqual(layout.reference, { kind: 'layout', path: dir, tag: 'v1' });
    assert.deepEqual(layout.store, { kind: 'layout', path: dir });
    assert.equal(layout.tagOrDigest, 'v1');

    const digest = `sha256:${'b'.repeat(64)}`;
    const registry = await openTarget(`ghcr.io/team/app:v1@${digest}`, connections);
    assert.ok(registry.target instanceof RegistryTarget);
    assert.equal(registry.target.client.host, 'ghcr.io');
    assert.equal(registry.target.repository, 'team/app');
    assert.deepEqual(registry.store, { kind: 'registry', host: 'ghcr.io', repository: 'team/app' });
    assert.equal(registry.tagOrDigest, digest, 'the digest wins over the tag');
  });

  it('makes a missing layout only when asked to (the destination of a push or copy)', async () => {
    const folder = path.join(dir, 'new-layout');
    await assert.rejects(openTarget(`oci:${folder}`, connections));
    await assert.rejects(fs.stat(folder), 'opening without create makes nothing');
    await openTarget(`oci:${folder}`, connections, { create: true });
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(folder, 'oci-layout'), 'utf8')), {
      imageLayoutVersion: '1.0.0',
    });
    assert.ok((await openTarget(`oci:${folder}`, connections)).target instanceof LayoutTarget);
  });

  it('takes a StoreRef, which is a reference without tag or digest', async () => {
    const store: StoreRef = { kind: 'registry', host: 'ghcr.io', repository: 'team/app' };
    const opened = await openTarget(store, connections);
    assert.ok(opened.target instanceof RegistryTarget);
    assert.equal(opened.target.repository, 'team/app');
    assert.deepEqual(opened.store, store);
    assert.equal(opened.tagOrDigest, undefined);
  });

  it('refuses text that is no reference, saying why', async () => {
    await assert.rejects(openTarget('ghcr.io/Team/App', connections), {
      code: 'INVALID_REFERENCE',
      message: /must be lowercase/,
    });
  });
});

describe('Connections', () => {
  const clientOf = async (connections: Connections, ref: string) => {
    const { target } = await openTarget(ref, connections);
    assert.ok(target instanceof RegistryTarget);
    return target.client;
  };

  it('shares one client per host among every store opened on it, and builds new ones after a clear', async () => {
    const connections = new Connections(() => ({}));
    try {
      const first = await clientOf(connections, 'ghcr.io/team/app:v1');
      assert.equal(await clientOf(connections, 'ghcr.io/team/other:v2'), first);
      assert.equal(connections.client('ghcr.io'), first);
      assert.notEqual(await clientOf(connections, 'quay.io/team/app:v1'), first);

      await connections.clear();
      const rebuilt = await clientOf(connections, 'ghcr.io/team/app:v1');
      assert.notEqual(rebuilt, first);
      assert.equal(await clientOf(connections, 'ghcr.io/team/app:v1'), rebuilt);
    } finally {
      await connections.clear();
    }
  });

  it('reaches a host nobody configured over TLS, except on loopback where it speaks plain HTTP', async () => {
    const connections = new Connections(() => ({}));
    try {
      assert.equal((await clientOf(connections, 'ghcr.io/team/app')).origin, 'https://ghcr.io');
      assert.equal((await clientOf(connections, 'registry.lan:5000/app')).origin, 'https://registry.lan:5000');
      assert.equal((await clientOf(connections, 'docker.io/library/alpine')).origin, 'https://registry-1.docker.io');
      assert.equal((await clientOf(connections, '127.0.0.1:5000/app')).origin, 'http://127.0.0.1:5000');
      assert.equal((await clientOf(connections, 'localhost:5000/app')).origin, 'http://localhost:5000');
      assert.equal((await clientOf(connections, '[::1]:5000/app')).origin, 'http://[::1]:5000');
    } finally {
      await connections.clear();
    }
  });

  it('talks plain HTTP to an unconfigured loopback registry for real', async () => {
    const server = await startScriptedServer((req, res) =>
      req.url?.startsWith('/v2/team/app/tags/list')
        ? reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ name: 'team/app', tags: ['v1'] }))
        : reply(res, 404),
    );
    const connections = new Connections(() => ({}));
    try {
      const { target } = await openTarget(`${server.host}/team/app`, connections);
      const pages: string[][] = [];
      for await (const page of (target as RegistryTarget).listTags()) pages.push(page);
      assert.deepEqual(pages, [['v1']]);
      assert.ok(server.hits.some((hit) => hit.url.startsWith('/v2/team/app/tags/list')));
    } finally {
      await connections.clear();
      await server.close();
    }
  });

  it('uses a host as configured: TLS for a loopback host set so, plain HTTP for a remote one set so', async () => {
    const connections = new Connections((host) =>
      host.startsWith('127.') ? { registry: { host, plainHttp: false } } : { registry: { host, plainHttp: true } },
    );
    try {
      assert.equal((await clientOf(connections, '127.0.0.1:5000/app')).origin, 'https://127.0.0.1:5000');
      assert.equal((await clientOf(connections, 'registry.lan:5000/app')).origin, 'http://registry.lan:5000');
    } finally {
      await connections.clear();
    }
  });

  it('rebuilds the client of a host whose settings changed, and only that one', async () => {
    const settings = new Map<string, HostSettings>([
      ['a.example', { registry: { host: 'a.example' } }],
      ['b.example', { registry: { host: 'b.example' }, limits: { maxPages: 10 } }],
    ]);
    const connections = new Connections((host) => settings.get(host) ?? {});
    try {
      const a = connections.client('a.example');
      const b = connections.client('b.example');
      assert.equal(b.limits.maxPages, 10);

      settings.set('a.example', { registry: { host: 'a.example', plainHttp: true } });
      settings.set('b.example', { registry: { host: 'b.example' }, limits: { maxPages: 10 } });
      connections.settingsChanged();
      const a2 = connections.client('a.example');
      assert.notEqual(a2, a, 'a change of transport makes a new client');
      assert.equal(a2.origin, 'http://a.example');
      assert.equal(connections.client('b.example'), b, 'unchanged settings keep the client and its tokens');

      settings.delete('a.example');
      const unconfigured = connections.client('a.example');
      assert.notEqual(unconfigured, a2, 'a host no longer configured falls back to the default rule');
      assert.equal(unconfigured.origin, 'https://a.example');
    } finally {
      await connections.clear();
    }
  });

  it('rebuilds the client of a host whose CA file was replaced on disk, its settings unchanged (a rotated CA)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-rotated-ca-'));
    const caFile = path.join(dir, 'ca.pem');
    await fs.writeFile(caFile, 'the old CA');
    const connections = new Connections((host) => ({ registry: { host, caFile } }));
    try {
      const before = connections.client('a.example');
      assert.equal(connections.client('a.example'), before, 'the same file keeps the client');
      const next = path.join(dir, 'ca.pem.new');
      await fs.writeFile(next, 'the new CA, rotated in');
      await fs.rename(next, caFile);
      assert.notEqual(connections.client('a.example'), before, 'the client kept trusting the replaced CA');
    } finally {
      await connections.clear();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('builds every client with the shared options and only the transport part of a host setting', async () => {
    const server = await startScriptedServer((_req, res) =>
      reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ name: 'app', tags: [] })),
    );
    const logged: string[] = [];
    const connections = new Connections(
      // An editor setting carries more than transport (a display name, a list of repositories).
      (host) => ({ registry: { host, plainHttp: true, name: 'Team', repositories: ['app'] } as RegistryConfig }),
      {
        userAgent: 'stowage-test',
        logger: (entry) => logged.push(`${entry.method} ${entry.status}`),
        credentials: { explicit: { [server.host]: { username: 'u', password: 'p' } }, ignoreToolConfig: true },
      },
    );
    try {
      assert.deepEqual(connections.config(server.host), {
        host: server.host,
        plainHttp: true,
        caFile: undefined,
        certFile: undefined,
        keyFile: undefined,
        skipTlsVerify: undefined,
        allowCredentialsOverHttp: undefined,
        headers: undefined,
      });
      const { target } = await openTarget(`${server.host}/app`, connections);
      for await (const page of (target as RegistryTarget).listTags()) assert.deepEqual(page, []);
      assert.equal(server.hits[0]?.headers['user-agent'], 'stowage-test');
      assert.deepEqual(logged, ['GET 200']);
      assert.equal(await connections.client(server.host).credentialSource(), 'explicit');
    } finally {
      await connections.clear();
      await server.close();
    }
  });
});
