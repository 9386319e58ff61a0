// --registry-config as ORAS means it: docker-style auth files (auths, credHelpers, credsStore), read in order,
// login and logout writing to the first; the old per-host settings file moved to --hosts-config. Against the
// real htpasswd registry on loopback (plain HTTP, found without a flag as ORAS does for localhost).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { CLI_MAIN, cli, cliOk } from '../../helpers/runCli';

describe('stowage CLI: --registry-config is a docker-style auth file (ORAS)', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;
  let file: string;
  /** No docker or podman login of the machine is read. */
  let env: NodeJS.ProcessEnv;

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-regconfig-'));
    registry = await startRegistry({ variant: 'basic-plain' });
    file = path.join(home, 'note.txt');
    await fs.writeFile(file, 'hello');
    env = {
      DOCKER_CONFIG: path.join(home, 'machine-docker'),
      REGISTRY_AUTH_FILE: path.join(home, 'none.json'),
      XDG_CONFIG_HOME: path.join(home, 'xdg'),
    };
    // The artifact several tests read, so that each runs alone too.
    await cliOk(['push', `${registry.host}/rc/auths:v1`, file, '-u', registry.username!, '--password-stdin'], {
      env,
      stdin: registry.password,
    });
  });

  after(async () => {
    await registry.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  const basic = () => Buffer.from(`${registry.username}:${registry.password}`).toString('base64');

  it('reads auths from the file given, and nothing without it', async () => {
    const config = path.join(home, 'auths.json');
    await fs.writeFile(config, JSON.stringify({ auths: { [registry.host]: { auth: basic() } } }));
    const denied = await cli(['push', `${registry.host}/rc/auths:v1`, file], { env });
    assert.equal(denied.code, 1, denied.stderr);
    const push = await cliOk(['push', `${registry.host}/rc/auths:v1`, file, '--registry-config', config], { env });
    assert.match(push.stdout, /^Digest: sha256:[0-9a-f]{64}$/m);
  });

  it('names a --registry-config file that does not exist when the registry asks for credentials (a typo reads as empty)', async () => {
    const typo = path.join(home, 'auth.jsn');
    const denied = await cli(['push', `${registry.host}/rc/typo:v1`, file, '--registry-config', typo], { env });
    assert.equal(denied.code, 1, denied.stderr);
    assert.ok(
      denied.stderr.includes(
        `\n  hint: --registry-config ${typo}: no such file, so no credentials were read from it; log in with "stowage login ${registry.host} --registry-config ${typo}"`,
      ),
      denied.stderr,
    );
  });

  it('asks the credHelpers helper named for the host, reading the files in order', async () => {
    const bin = path.join(home, 'bin');
    await fs.mkdir(bin, { recursive: true });
    const secret = JSON.stringify({ Username: registry.username, Secret: registry.password });
    await fs.writeFile(
      path.join(bin, 'docker-credential-teamvault'),
      `#!/bin/sh\nread server\necho "$1 $server" >> "${home}/helper.log"\necho '${secret}'\n`,
      { mode: 0o755 },
    );
    const empty = path.join(home, 'empty.json');
    await fs.writeFile(empty, JSON.stringify({ auths: {} }));
    const helpers = path.join(home, 'helpers.json');
    await fs.writeFile(helpers, JSON.stringify({ credHelpers: { [registry.host]: 'teamvault' } }));
    const withPath = { ...env, PATH: `${bin}:${process.env.PATH}` };
    await cliOk(
      ['push', `${registry.host}/rc/helper:v1`, file, '--registry-config', empty, '--registry-config', helpers],
      { env: withPath },
    );
    assert.match(await fs.readFile(path.join(home, 'helper.log'), 'utf8'), new RegExp(`^get ${registry.host}$`, 'm'));
  });

  it('login writes to the first --registry-config file (mode 0600), logout removes it there', async () => {
    const first = path.join(home, 'login', 'first.json');
    const second = path.join(home, 'second.json');
    await fs.writeFile(second, '{}');
    const flags = ['--registry-config', first, '--registry-config', second];
    await cliOk(['login', registry.host, '-u', registry.username!, '--password-stdin', ...flags], {
      env,
      stdin: `${registry.password}\n`,
    });
    const saved = JSON.parse(await fs.readFile(first, 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.equal(saved.auths[registry.host]!.auth, basic());
    assert.equal((await fs.stat(first)).mode & 0o777, 0o600);
    assert.equal(await fs.readFile(second, 'utf8'), '{}');
    await assert.rejects(fs.stat(path.join(env.DOCKER_CONFIG!, 'config.json')));
    await cliOk(['tags', `${registry.host}/rc/auths`, '--registry-config', first], { env });
    await cliOk(['logout', registry.host, '--registry-config', first], { env });
    const after = JSON.parse(await fs.readFile(first, 'utf8')) as { auths: Record<string, unknown> };
    assert.deepEqual(after.auths, {});
  });

  it('refuses a file of the old per-host settings shape, naming --hosts-config', async () => {
    const old = path.join(home, 'registries.json');
    await fs.writeFile(old, JSON.stringify({ registries: [{ host: registry.host, plainHttp: true }] }));
    const run = await cli(['tags', `${registry.host}/rc/auths`, '--registry-config', old], { env });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /holds per-registry connection settings/);
    assert.match(run.stderr, new RegExp(`--hosts-config ${old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const moved = await cliOk(
      ['tags', `${registry.host}/rc/auths`, '--hosts-config', old, '-u', registry.username!, '--password-stdin'],
      {
        env,
        stdin: registry.password,
      },
    );
    assert.match(moved.stdout, /^v1$/m);
  });

  it('-u/-p on any remote command: warns like ORAS, and the password shows nowhere (output, verbose log, process list)', async () => {
    const password = registry.password!;
    const run = await cliOk(
      [
        'pull',
        `${registry.host}/rc/auths:v1`,
        '-o',
        path.join(home, 'out'),
        '-u',
        registry.username!,
        '-p',
        password,
        '--verbose',
      ],
      { env },
    );
    assert.match(run.stderr, /WARNING! Using --password via the CLI is insecure\. Use --password-stdin\./);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(password), 'password leaked');
    const wrong = await cli(['tags', `${registry.host}/rc/auths`, '-u', registry.username!, '-p', 'wrong-secret-123'], {
      env,
    });
    assert.equal(wrong.code, 1);
    assert.ok(!wrong.stderr.includes('wrong-secret-123'));

    // Separate processes, waiting on a registry that never answers: their command lines, as `ps` shows them,
    // hold no password, token or header value while they run.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const waiting = ['--plain-http', '--request-timeout', '20'];
    const lines = [
      ['tags', `127.0.0.1:${port}/rc/x`, '-u', 'someone', '-p', password, ...waiting],
      ['tags', `127.0.0.1:${port}/rc/x`, '-H', `X-Api-Key: ${password}`, ...waiting],
      ['login', `127.0.0.1:${port}`, '--identity-token', password, ...waiting],
    ];
    const children = lines.map((args) =>
      spawn(process.execPath, [CLI_MAIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' }),
    );
    try {
      for (const child of children) {
        // Once started (seconds on a loaded machine), each names itself "stowage" over its whole command line.
        const renamed = (cmdline: string) => cmdline.replace(/\0+$/, '') === 'stowage';
        const deadline = Date.now() + 30_000;
        let cmdline = await fs.readFile(`/proc/${child.pid}/cmdline`, 'utf8');
        while (!renamed(cmdline) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          cmdline = await fs.readFile(`/proc/${child.pid}/cmdline`, 'utf8');
        }
        assert.ok(renamed(cmdline) && !cmdline.includes(password), `secret visible in the process list: ${cmdline}`);
      }
    } finally {
      for (const child of children) child.kill();
      silent.close();
    }
  });
});
