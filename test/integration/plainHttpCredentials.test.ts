// Where Basic credentials may go, against a real registry with Basic auth over plain HTTP: on loopback they are
// sent; under a name that is not loopback (this machine's own network address, through a recording proxy to the
// same registry) they are refused before any Authorization header leaves, with an error saying how to allow it;
// with allowCredentialsOverHttp they are sent again.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { InsecureTransportError } from '../../src/core/oci/errors';
import { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startFaultProxy, type FaultProxy } from '../fixtures/faultProxy';
import { nonLoopbackAddress } from '../fixtures/nonLoopbackAddress';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { bufferContent, smallArtifact } from '../fixtures/registryClients';
import { cli, cliOk } from '../helpers/runCli';

describe('Basic credentials over plain HTTP', function () {
  let registry: TestRegistry;
  const proxies: FaultProxy[] = [];
  const clients: RegistryClient[] = [];
  before(async () => {
    registry = await startRegistry({ variant: 'basic-plain', logLevel: 'warn' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  after(async () => {
    await registry?.stop();
  });

  /** A recording proxy to the registry, listening on `address`. */
  async function proxyOn(address: string): Promise<FaultProxy> {
    const proxy = await startFaultProxy(registry.url, () => ({ forward: true }), address);
    proxies.push(proxy);
    return proxy;
  }

  function clientOf(host: string, allowCredentialsOverHttp?: boolean): RegistryClient {
    const client = new RegistryClient(
      { host, plainHttp: true, allowCredentialsOverHttp },
      {
        retry: { baseDelayMs: 20 },
        credentials: {
          explicit: { [host]: { username: registry.username, password: registry.password } },
          ignoreToolConfig: true,
        },
      },
    );
    clients.push(client);
    return client;
  }

  async function pushSmall(client: RegistryClient): Promise<void> {
    const artifact = smallArtifact(randomBytes(100));
    const target = new RegistryTarget(client, 'plain-creds/app');
    await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
    assert.equal(await target.exists(artifact.layerDescriptor), true);
  }

  it('sends them to a loopback registry, which accepts them', async () => {
    const proxy = await proxyOn('127.0.0.1');
    await pushSmall(clientOf(proxy.host));
    const basic = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
    assert.ok(
      proxy.seen.some((r) => r.headers.authorization === basic),
      'the Basic credentials were sent',
    );
  });

  it('refuses them to the same registry under a non-loopback address, sending no Authorization header', async () => {
    const proxy = await proxyOn(nonLoopbackAddress());
    const client = clientOf(proxy.host);
    await assert.rejects(
      pushSmall(client),
      (e: unknown) =>
        e instanceof InsecureTransportError &&
        e.registry === proxy.host &&
        e.message.includes(`credentials for ${proxy.host} over plain HTTP`) &&
        /"allowCredentialsOverHttp": true/.test(e.message),
    );
    assert.ok(proxy.seen.length > 0, 'the registry was asked (anonymously) and challenged');
    assert.deepEqual(
      proxy.seen.filter((r) => r.headers.authorization !== undefined),
      [],
    );
  });

  it('sends them under a non-loopback address when the registry config allows it', async () => {
    const proxy = await proxyOn(nonLoopbackAddress());
    await pushSmall(clientOf(proxy.host, true));
    assert.ok(proxy.seen.some((r) => r.headers.authorization?.startsWith('Basic ')));
  });

  it('tells a CLI user which host was refused and how to allow it; a --hosts-config entry allows it', async () => {
    const proxy = await proxyOn(nonLoopbackAddress());
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-plain-creds-'));
    try {
      const auths = {
        [proxy.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') },
      };
      await fs.writeFile(path.join(home, 'config.json'), JSON.stringify({ auths }));
      const env = { DOCKER_CONFIG: home };
      const refused = await cli(['tags', `${proxy.host}/plain-creds/app`, '--plain-http'], { env });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `refusing to send the credentials for ${proxy.host.replace(/\./g, '\\.')} over plain HTTP.*allowCredentialsOverHttp`,
        ),
      );
      assert.ok(!refused.stderr.includes(registry.password!));
      assert.deepEqual(
        proxy.seen.filter((r) => r.headers.authorization !== undefined),
        [],
      );

      const config = path.join(home, 'registries.json');
      await fs.writeFile(
        config,
        JSON.stringify({ registries: [{ host: proxy.host, plainHttp: true, allowCredentialsOverHttp: true }] }),
      );
      const file = path.join(home, 'note.txt');
      await fs.writeFile(file, 'sent with permission');
      await cliOk(['push', `${proxy.host}/plain-creds/cli:v1`, file, '--hosts-config', config], { env });
      const allowed = await cliOk(['tags', `${proxy.host}/plain-creds/cli`, '--hosts-config', config], { env });
      assert.match(allowed.stdout, /^v1$/m);
      assert.ok(proxy.seen.some((r) => r.headers.authorization?.startsWith('Basic ')));
    } finally {
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});
