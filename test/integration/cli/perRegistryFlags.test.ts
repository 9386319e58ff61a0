// Transport flags per registry on one command line: a copy from a TLS registry (its CA trusted, or its
// verification skipped for it alone) to a plain-HTTP one, where a flag for every registry could not serve both.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

describe('stowage CLI: transport flags per registry', function () {
  this.timeout(120_000);
  let tls: TestRegistry;
  let plain: TestRegistry;
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    [tls, plain] = await Promise.all([
      startRegistry({ variant: 'basic-tls', logLevel: 'error' }),
      startRegistry({ variant: 'plain', logLevel: 'error' }),
    ]);
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-per-registry-'));
    const auths = { [tls.host]: { auth: Buffer.from(`${tls.username}:${tls.password}`).toString('base64') } };
    await fs.writeFile(path.join(home, 'config.json'), JSON.stringify({ auths }));
    env = { DOCKER_CONFIG: home };
  });
  after(async () => {
    await Promise.all([tls?.stop(), plain?.stop()]);
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('copies from a TLS registry to a plain-HTTP one with --plain-http-registry, and --insecure-registry for the source alone', async () => {
    const file = path.join(home, 'report.txt');
    await fs.writeFile(file, 'from TLS to plain HTTP\n');
    await cliOk(['push', `${tls.host}/per/app:v1`, file, '--ca-file', tls.caFile!], { env });

    // One flag for both sides cannot work: plain HTTP to the TLS registry fails.
    const everywhere = await cli(['copy', `${tls.host}/per/app:v1`, `${plain.host}/per/app:v1`, '--plain-http'], {
      env,
    });
    assert.equal(everywhere.code, 1);

    await cliOk(
      [
        'copy',
        `${tls.host}/per/app:v1`,
        `${plain.host}/per/app:v1`,
        '--ca-file',
        tls.caFile!,
        '--plain-http-registry',
        plain.host,
      ],
      { env },
    );
    await cliOk(
      [
        'copy',
        `${tls.host}/per/app:v1`,
        `${plain.host}/per/app:v2`,
        '--insecure-registry',
        tls.host,
        '--plain-http-registry',
        plain.host,
      ],
      { env },
    );
    // Skipping verification stayed with the source: without its CA, the TLS registry is still verified.
    const verified = await cli(['tags', `${tls.host}/per/app`, '--insecure-registry', plain.host], { env });
    assert.equal(verified.code, 1);
    assert.match(verified.stderr, /TLS with 127\.0\.0\.1:\d+ failed/);

    for (const tag of ['v1', 'v2']) {
      const out = path.join(home, `out-${tag}`);
      await cliOk(['pull', `${plain.host}/per/app:${tag}`, '-o', out, '--plain-http-registry', plain.host], { env });
      assert.equal(await fs.readFile(path.join(out, 'report.txt'), 'utf8'), 'from TLS to plain HTTP\n');
    }
  });

  it('--resolve reaches a registry by a name DNS does not know, TLS checked against that name, credentials sent', async () => {
    const port = tls.host.split(':')[1]!;
    const named = `registry.stowage.test:${port}`;
    const auth = ['-u', tls.username!, '-p', tls.password!, '--ca-file', tls.caFile!];
    const file = path.join(home, 'resolved.txt');
    await fs.writeFile(file, 'by name\n');
    // Not a loopback name: credentials go only because the certificate verifies for registry.stowage.test.
    await cliOk(['push', `${named}/resolved/app:v1`, file, ...auth, '--resolve', `${named}:127.0.0.1`]);
    assert.equal((await cliOk(['tags', `${tls.host}/resolved/app`, ...auth])).stdout, 'v1\n');
    // address_port: the name on the default HTTPS port, the socket on the registry's.
    const onDefaultPort = await cliOk([
      'tags',
      'registry.stowage.test/resolved/app',
      ...auth,
      '--resolve',
      `registry.stowage.test:443:127.0.0.1:${port}`,
    ]);
    assert.equal(onDefaultPort.stdout, 'v1\n');
    // A name the certificate does not hold is refused, however it was reached.
    const other = await cli([
      'tags',
      `other.stowage.test:${port}/resolved/app`,
      ...auth,
      '--resolve',
      `other.stowage.test:${port}:127.0.0.1`,
    ]);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /TLS with other\.stowage\.test:\d+ failed/);
    const bad = await cli(['tags', `${named}/resolved/app`, '--resolve', `${named}:not-an-address`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"not-an-address" is not an IP address/);
  });

  it('lists the per-registry flags in --help', async () => {
    const help = await cliOk(['copy', '--help']);
    assert.match(help.stdout, /--plain-http-registry <host>\s+talk plain HTTP to this registry only/);
    assert.match(help.stdout, /--insecure-registry <host>\s+do not verify the TLS certificate of this registry only/);
  });
});
