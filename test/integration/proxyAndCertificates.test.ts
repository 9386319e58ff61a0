// Behind a corporate proxy and with certificates the user already has: pushes and pulls go through the forward
// proxy HTTPS_PROXY/HTTP_PROXY name (a recording proxy the test owns, reaching the real registry under a name
// only it knows), NO_PROXY and loopback bypass it, and a registry with a private CA is trusted from docker's
// certs.d folder or the system bundle (SSL_CERT_FILE) without a per-registry CA file.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMPTY_JSON } from '../../src/core/content';
import { EMPTY_DESCRIPTOR } from '../../src/core/oci';
import { RegistryClient, type RegistryClientOptions } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import type { RegistryConfig } from '../../src/core/registry/registryConfig';
import { startForwardProxy, type ForwardProxy } from '../fixtures/forwardProxy';
import { freePort } from '../fixtures/freePort';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { bufferContent, readAll, smallArtifact } from '../fixtures/registryClients';
import { cli, cliOk } from '../helpers/runCli';

/** A name only the proxy can resolve: a client that skips the proxy cannot reach the registry under it. */
const PROXIED_NAME = 'registry.behind-proxy.invalid';

describe('Proxies and certificates', function () {
  let plain: TestRegistry;
  let secured: TestRegistry;
  let proxy: ForwardProxy;
  let work: string;
  const clients: RegistryClient[] = [];

  before(async () => {
    plain = await startRegistry({ variant: 'plain', logLevel: 'warn' });
    secured = await startRegistry({ variant: 'basic-tls', logLevel: 'warn' });
    const port = plain.host.split(':')[1];
    const securedPort = secured.host.split(':')[1];
    proxy = await startForwardProxy({
      [`${PROXIED_NAME}:${port}`]: plain.host,
      [`${PROXIED_NAME}:${securedPort}`]: secured.host,
    });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-proxy-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    proxy.seen.length = 0;
  });
  after(async () => {
    await proxy?.close();
    await plain?.stop();
    await secured?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  function client(config: RegistryConfig, options: RegistryClientOptions = {}): RegistryClient {
    const created = new RegistryClient(config, {
      retry: { baseDelayMs: 20 },
      ...options,
      credentials: { ignoreToolConfig: true, ...options.credentials },
    });
    clients.push(created);
    return created;
  }

  const proxiedHost = () => `${PROXIED_NAME}:${plain.host.split(':')[1]}`;

  it('pushes and pulls through the proxy HTTP_PROXY names, which sees every connection', async () => {
    const target = new RegistryTarget(
      client({ host: proxiedHost(), plainHttp: true }, { proxy: { httpProxy: proxy.url } }),
      'through/proxy',
    );
    const artifact = smallArtifact(randomBytes(300_000));
    await target.pushBlob(EMPTY_DESCRIPTOR, bufferContent(EMPTY_JSON));
    await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
    await target.pushManifest(artifact.manifestDescriptor, artifact.manifestBytes, { tag: 'v1' });
    const pulled = await readAll(await target.fetchBlob(artifact.layerDescriptor));
    assert.ok(pulled.equals(artifact.layer));
    assert.ok(
      proxy.seen.length > 0 && proxy.seen.every((entry) => entry === proxiedHost()),
      JSON.stringify(proxy.seen),
    );
  });

  it('tunnels TLS through the proxy with the registry’s own TLS settings (here: verification off, as configured)', async () => {
    const host = `${PROXIED_NAME}:${secured.host.split(':')[1]}`;
    const config = { host, skipTlsVerify: true, allowCredentialsOverHttp: true };
    const explicit = { [host]: { username: secured.username!, password: secured.password! } };
    const target = new RegistryTarget(
      client(config, { proxy: { httpsProxy: proxy.url }, credentials: { explicit } }),
      'tunnel/app',
    );
    await assert.rejects(target.resolve('missing'), /not found/i);
    assert.ok(proxy.seen.includes(host), JSON.stringify(proxy.seen));
  });

  it('reaches a host listed in NO_PROXY directly, and every host with NO_PROXY=*: the proxy sees nothing', async () => {
    for (const noProxy of [`example.org, ${PROXIED_NAME}`, '*', 'example.org,*']) {
      const target = new RegistryTarget(
        client({ host: proxiedHost(), plainHttp: true }, { proxy: { httpProxy: proxy.url, noProxy } }),
        'direct/app',
      );
      // Only the proxy knows the name, so going direct fails to resolve it: proof the proxy was skipped.
      await assert.rejects(target.resolve('v1'), /ENOTFOUND|getaddrinfo|could not reach|network/i, noProxy);
      assert.deepEqual(proxy.seen, [], noProxy);
    }
  });

  it('never sends a loopback registry through the proxy', async () => {
    const target = new RegistryTarget(
      client({ host: plain.host, plainHttp: true }, { proxy: { httpProxy: proxy.url, httpsProxy: proxy.url } }),
      'loopback/app',
    );
    const artifact = smallArtifact(randomBytes(1000));
    await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
    assert.equal(await target.exists(artifact.layerDescriptor), true);
    assert.deepEqual(proxy.seen, []);
  });

  it('the CLI takes HTTP_PROXY from the environment', async () => {
    const file = path.join(work, 'hello.txt');
    fs.writeFileSync(file, 'through the proxy\n');
    const env = { HTTP_PROXY: proxy.url, NO_PROXY: '' };
    await cliOk(['push', `${proxiedHost()}/cli/proxied:v1`, file, '--plain-http'], { env });
    const out = path.join(work, 'out');
    await cliOk(['pull', `${proxiedHost()}/cli/proxied:v1`, '-o', out, '--plain-http'], { env });
    assert.equal(fs.readFileSync(path.join(out, 'hello.txt'), 'utf8'), 'through the proxy\n');
    assert.ok(proxy.seen.includes(proxiedHost()), JSON.stringify(proxy.seen));
  });

  it('reads a proxy written without a scheme as http:// (as curl and Go do), and names a proxy that is no URL', async () => {
    const bare = proxy.url.replace('http://', '');
    const env = { HTTP_PROXY: bare, NO_PROXY: '' };
    const listed = await cli(['tags', `${proxiedHost()}/cli/bare-proxy`, '--plain-http'], { env });
    assert.match(listed.stderr, /^stowage tags: repository .*bare-proxy not found/, 'the registry answered');
    assert.ok(proxy.seen.includes(proxiedHost()), JSON.stringify(proxy.seen));

    const broken = await cli(['tags', `${proxiedHost()}/cli/bare-proxy`, '--plain-http'], {
      env: { HTTP_PROXY: 'http://user:pw@proxy host:3128', NO_PROXY: '' },
    });
    assert.equal(broken.code, 1);
    assert.equal(
      broken.stderr,
      'stowage tags: the proxy "http://[redacted]@proxy host:3128" is not a URL (http://host:port): correct the HTTPS_PROXY/HTTP_PROXY environment variable\n',
    );
  });

  it('names the proxy, not the registry, when the proxy is down or wants credentials; credentials in its URL pass', async () => {
    const host = proxiedHost();
    const name = PROXIED_NAME;
    // The command line names its own knob (the environment), not the editor's setting.
    const setting = 'the HTTPS_PROXY/HTTP_PROXY environment variable';
    const tags = (proxyUrl: string) =>
      cli(['tags', `${host}/cli/guarded`, '--plain-http'], { env: { HTTP_PROXY: proxyUrl, NO_PROXY: '' } });

    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await tags(closed);
    assert.equal(down.code, 1);
    assert.equal(
      down.stderr,
      `stowage tags: cannot reach the proxy ${closed} on the way to ${host} (ECONNREFUSED); check ${setting}, or add ${name} to NO_PROXY to go direct\n`,
    );

    const guarded = await startForwardProxy({ [host]: plain.host }, { credentials: 'proxyuser:proxypass' });
    try {
      const asked = await tags(guarded.url);
      assert.equal(asked.code, 1);
      const at = guarded.url.replace('http://', '');
      assert.equal(
        asked.stderr,
        `stowage tags: the proxy ${guarded.url} asks for credentials (407) on the way to ${host}; put them in its URL, as <user>:<password>@${at}, in ${setting}\n`,
      );
      const wrong = await tags(`http://proxyuser:not-it@${at}`);
      assert.equal(
        wrong.stderr,
        `stowage tags: the proxy ${guarded.url} refused the credentials in its URL (407) on the way to ${host}; correct them in ${setting}\n`,
      );

      const file = path.join(work, 'guarded.txt');
      fs.writeFileSync(file, 'behind an authenticating proxy\n');
      const env = { HTTP_PROXY: `http://proxyuser:proxypass@${at}`, NO_PROXY: '' };
      await cliOk(['push', `${host}/cli/guarded:v1`, file, '--plain-http'], { env });
      assert.equal((await cliOk(['tags', `${host}/cli/guarded`, '--plain-http'], { env })).stdout, 'v1\n');
    } finally {
      await guarded.close();
    }
  });

  const credentials = () => ({
    explicit: { [secured.host]: { username: secured.username!, password: secured.password! } },
  });

  it('trusts a private CA placed in docker’s certs.d/<host>/ca.crt, without a CA file setting', async () => {
    const certsDir = path.join(work, 'certs.d');
    fs.mkdirSync(path.join(certsDir, secured.host), { recursive: true });
    fs.copyFileSync(secured.caFile!, path.join(certsDir, secured.host, 'ca.crt'));
    const trusted = new RegistryTarget(
      client({ host: secured.host }, { dockerCertsDirs: [certsDir], credentials: credentials() }),
      'certs/app',
    );
    await assert.rejects(trusted.resolve('missing'), /not found/i);

    const untrusted = new RegistryTarget(
      client({ host: secured.host }, { dockerCertsDirs: [path.join(work, 'empty')], credentials: credentials() }),
      'certs/app',
    );
    await assert.rejects(untrusted.resolve('missing'), /certificate|TLS/i);
  });

  it('trusts a CA in the system bundle SSL_CERT_FILE names', async () => {
    const before = process.env.SSL_CERT_FILE;
    process.env.SSL_CERT_FILE = secured.caFile;
    try {
      const target = new RegistryTarget(
        client({ host: secured.host }, { dockerCertsDirs: [], credentials: credentials() }),
        'system/app',
      );
      await assert.rejects(target.resolve('missing'), /not found/i);
    } finally {
      if (before === undefined) delete process.env.SSL_CERT_FILE;
      else process.env.SSL_CERT_FILE = before;
    }
  });
});
