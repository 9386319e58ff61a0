// Listing the repositories of a Docker Hub namespace and of a GitHub owner on ghcr.io through their web APIs,
// against a scripted server speaking those APIs (paging, authentication, errors), and against hostile answers:
// each read has the listing limits, a byte cap and the request deadline.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../helpers/runCli';
import { AuthError, NotFoundError, OciError } from '../../src/core/oci/errors';
import { RegistryClient, type RegistryClientOptions } from '../../src/core/registry/RegistryClient';
import { listNamespaceRepositories, type NamespaceApiBases } from '../../src/core/registry/namespaceRepositories';
import { json, startHostileServer, trickle, type HostileServer, type Route } from '../fixtures/hostileServer';
import { startNamespaceApis, type NamespaceApiData, type NamespaceApiServer } from '../fixtures/namespaceApis';

const TOKEN = 'ghp_scriptedToken123';

describe('repositories of a namespace through the Docker Hub and GitHub web APIs', function () {
  this.timeout(60_000);
  const servers: HostileServer[] = [];
  const clients: RegistryClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function apis(data: NamespaceApiData): Promise<NamespaceApiServer> {
    const server = await startNamespaceApis({ githubToken: TOKEN, ...data });
    servers.push(server);
    return server;
  }

  function client(host: string, options: RegistryClientOptions & { token?: string } = {}): RegistryClient {
    const { token, ...rest } = options;
    const c = new RegistryClient(
      { host },
      {
        retry: { retries: 0 },
        credentials: {
          explicit: token ? { [host]: { username: 'someone', password: token } } : {},
          ignoreToolConfig: true,
        },
        ...rest,
      },
    );
    clients.push(c);
    return c;
  }

  async function all(
    c: RegistryClient,
    namespace: string,
    bases: Partial<NamespaceApiBases>,
    pageSize = 100,
  ): Promise<string[][]> {
    const pages: string[][] = [];
    for await (const page of listNamespaceRepositories(c, namespace, { pageSize, bases })) pages.push(page);
    return pages;
  }

  const names = (n: number, prefix = 'app') =>
    Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

  it('Docker Hub: follows `next` through every page, anonymously, and names repositories namespace/name', async () => {
    const server = await apis({ dockerHub: { acme: names(250) } });
    // Credentials for docker.io exist but are the registry's: they never go to the hub API.
    const pages = await all(client('docker.io', { token: 'registry-secret' }), 'acme', { dockerHub: server.origin });
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 100, 50],
    );
    assert.equal(pages.flat()[0], 'acme/app-000');
    assert.equal(pages.flat().at(-1), 'acme/app-249');
    assert.deepEqual(
      server.log.map((r) => r.path),
      [
        '/v2/namespaces/acme/repositories?page_size=100',
        '/v2/namespaces/acme/repositories?page=2&page_size=100',
        '/v2/namespaces/acme/repositories?page=3&page_size=100',
      ],
    );
    assert.ok(
      server.log.every((r) => r.authorization === undefined),
      'an Authorization header went to the hub API',
    );
  });

  it('Docker Hub: an unknown namespace is a NotFoundError naming it and the setting', async () => {
    const server = await apis({ dockerHub: {} });
    await assert.rejects(all(client('docker.io'), 'nobody', { dockerHub: server.origin }), (error: unknown) => {
      assert.ok(error instanceof NotFoundError, String(error));
      assert.match(error.message, /nobody/);
      assert.match(error.message, /stowage\.registries → namespaces/);
      return true;
    });
  });

  it('GHCR: lists an organisation’s container packages with the user’s token, paged by Link', async () => {
    const server = await apis({ githubOrgs: { Acme: names(150, 'Svc') } });
    const pages = await all(client('ghcr.io', { token: TOKEN }), 'Acme', { github: server.origin });
    assert.deepEqual(
      pages.map((p) => p.length),
      [100, 50],
    );
    assert.equal(pages.flat()[0], 'acme/svc-000', 'GHCR repositories are the lowercased owner/name');
    assert.deepEqual(
      server.log.map((r) => [r.path, r.authorization]),
      [
        ['/orgs/Acme/packages?package_type=container&per_page=100', `Bearer ${TOKEN}`],
        ['/orgs/Acme/packages?package_type=container&per_page=100&page=2', `Bearer ${TOKEN}`],
      ],
    );
  });

  it('GHCR: a user (not an organisation) is found under /users after /orgs answers 404', async () => {
    const server = await apis({ githubUsers: { octo: ['tool', 'nested/thing'] } });
    const pages = await all(client('ghcr.io', { token: TOKEN }), 'octo', { github: server.origin });
    assert.deepEqual(pages.flat(), ['octo/tool', 'octo/nested/thing']);
    assert.deepEqual(
      server.log.map((r) => r.path.split('?')[0]),
      ['/orgs/octo/packages', '/users/octo/packages'],
    );
  });

  it('GHCR: an organisation listing without a Link header still pages while pages come back full', async () => {
    const server = await apis({ githubOrgs: { acme: names(25) }, omitOrgLink: true });
    const pages = await all(client('ghcr.io', { token: TOKEN }), 'acme', { github: server.origin }, 10);
    assert.deepEqual(
      pages.map((p) => p.length),
      [10, 10, 5],
    );
  });

  it('GHCR: without a login it asks for a token before any request; a rejected token is an AuthError', async () => {
    const server = await apis({ githubOrgs: { acme: ['a'] } });
    await assert.rejects(all(client('ghcr.io'), 'acme', { github: server.origin }), (error: unknown) => {
      assert.ok(error instanceof AuthError, String(error));
      assert.equal(error.registry, 'ghcr.io');
      assert.match(error.message, /read:packages/);
      return true;
    });
    assert.equal(server.log.length, 0);
    await assert.rejects(
      all(client('ghcr.io', { token: 'wrong' }), 'acme', { github: server.origin }),
      (error: unknown) => {
        assert.ok(error instanceof AuthError, String(error));
        assert.match(error.message, /Bad credentials/);
        return true;
      },
    );
  });

  it('refuses a namespace with a slash, and a host without such an API', async () => {
    await assert.rejects(all(client('docker.io'), 'a/../b', {}), (e: unknown) => OciError.is(e, 'USAGE'));
    await assert.rejects(all(client('quay.io'), 'acme', {}), (e: unknown) => OciError.is(e, 'UNSUPPORTED'));
  });

  async function hostile(route: Route): Promise<HostileServer> {
    const server = await startHostileServer(route);
    servers.push(server);
    return server;
  }

  it('hostile answers: a next page on another origin, endless next pages, a page over the byte cap, a trickle', async () => {
    const elsewhere = await hostile((_req, res) =>
      json(res, { next: 'http://127.0.0.2:1/v2/namespaces/x/repositories?page=2', results: [{ name: 'a' }] }),
    );
    await assert.rejects(all(client('docker.io'), 'x', { dockerHub: elsewhere.origin }), (e: unknown) => {
      assert.ok(OciError.is(e, 'REGISTRY'), String(e));
      assert.match((e as Error).message, /another origin/);
      return true;
    });

    const looping = await hostile((_req, res, url) =>
      json(res, {
        next: `http://${_req.headers.host}/v2/namespaces/x/repositories?page=${Number(url.searchParams.get('page') ?? 1) + 1}`,
        results: [{ name: 'a' }],
      }),
    );
    await assert.rejects(
      all(client('docker.io', { limits: { maxPages: 5 } }), 'x', { dockerHub: looping.origin }),
      (e: unknown) => {
        assert.ok(OciError.is(e, 'SIZE_EXCEEDED'), String(e));
        assert.match((e as Error).message, /stopped after 5 pages/);
        return true;
      },
    );

    const huge = await hostile((_req, res) =>
      json(res, { next: null, results: Array.from({ length: 20_000 }, (_, i) => ({ name: `name-${i}` })) }),
    );
    await assert.rejects(
      all(client('docker.io', { limits: { maxResponseBytes: 64 * 1024 } }), 'x', { dockerHub: huge.origin }),
      (e: unknown) => {
        assert.ok(OciError.is(e, 'SIZE_EXCEEDED'), String(e));
        assert.match((e as Error).message, /maxResponseMiB/);
        return true;
      },
    );

    const slow = await hostile((_req, res) => trickle(res, '{"next":null,"results":[]}', 500));
    const started = Date.now();
    await assert.rejects(
      all(client('ghcr.io', { token: TOKEN, limits: { requestTimeoutMs: 1500 } }), 'x', { github: slow.origin }),
      (e: unknown) => {
        assert.match((e as Error).message, /request deadline/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 10_000, 'the deadline ended the trickle');
  });

  describe('stowage repos <host>/<namespace> (the same listers as the Registries view)', () => {
    it('Docker Hub and GHCR: a namespace lists through the web API, named relative to it, with --last and json', async () => {
      const server = await apis({ dockerHub: { acme: names(3) }, githubOrgs: { Acme: names(2, 'Svc') } });
      const engine = { namespaceApiBases: { dockerHub: server.origin, github: server.origin } };
      const hub = await cli(['repos', 'docker.io/acme'], { engine });
      assert.equal(hub.code, 0, hub.stderr);
      assert.equal(hub.stdout, 'app-000\napp-001\napp-002\n');
      const json = await cli(['repos', 'docker.io/acme', '--format', 'json'], { engine });
      assert.deepEqual(JSON.parse(json.stdout), ['app-000', 'app-001', 'app-002']);

      const work = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-repos-'));
      try {
        const auth = path.join(work, 'auth.json');
        const basic = Buffer.from(`someone:${TOKEN}`).toString('base64');
        await fs.writeFile(auth, JSON.stringify({ auths: { 'ghcr.io': { auth: basic } } }));
        const ghcr = await cli(['repos', 'ghcr.io/Acme', '--registry-config', auth], { engine });
        assert.equal(ghcr.code, 0, ghcr.stderr);
        assert.equal(ghcr.stdout, 'svc-000\nsvc-001\n');
      } finally {
        await fs.rm(work, { recursive: true, force: true });
      }
      assert.ok(
        server.log.some((r) => r.path.startsWith('/orgs/Acme/packages') && r.authorization === `Bearer ${TOKEN}`),
      );
    });

    it('Docker Hub without a namespace: refused before any request, naming the way out', async () => {
      const run = await cli(['repos', 'docker.io']);
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /docker\.io has no repository catalog: name a user or organisation, e\.g\. stowage repos docker\.io\/<namespace>/,
      );
    });
  });
});
