// CLI behaviour that spans processes and the user's own files: login/logout through docker's config,
// secrets kept out of every output, and many stowage processes pushing into one layout.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { spawn } from 'node:child_process';
import { CLI_MAIN, cli, cliOk, cliProcess } from '../../helpers/runCli';

describe('stowage CLI: login, secrets and processes', function () {
  this.timeout(180_000);
  let home: string;
  let registry: TestRegistry;

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-login-'));
    registry = await startRegistry({ variant: 'basic-tls' });
  });

  after(async () => {
    await registry.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('refuses wrong credentials, saves good ones in docker config (mode 0600), uses them, and logs out', async () => {
    const env = { DOCKER_CONFIG: path.join(home, 'docker') };
    const tls = ['--ca-file', registry.caFile!];
    const wrong = await cli(['login', registry.host, '-u', registry.username!, '--password-stdin', ...tls], {
      env,
      stdin: 'not-the-password\n',
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /refused the credentials/);
    await assert.rejects(fs.stat(path.join(env.DOCKER_CONFIG, 'config.json')));

    const login = await cliOk(['login', registry.host, '-u', registry.username!, '--password-stdin', ...tls], {
      env,
      stdin: `${registry.password}\n`,
    });
    assert.match(login.stdout, /logged in/);
    const configFile = path.join(env.DOCKER_CONFIG, 'config.json');
    assert.equal((await fs.stat(configFile)).mode & 0o777, 0o600);
    const saved = JSON.parse(await fs.readFile(configFile, 'utf8')) as { auths: Record<string, { auth: string }> };
    assert.equal(
      Buffer.from(saved.auths[registry.host]!.auth, 'base64').toString(),
      `${registry.username}:${registry.password}`,
    );

    const file = path.join(home, 'note.txt');
    await fs.writeFile(file, 'secret-free content');
    const push = await cliOk(['push', `${registry.host}/team/notes:v1`, file, '--verbose', ...tls], { env });
    // Every line of output, verbose HTTP log included, is free of the password.
    assert.match(push.stderr, /PUT https:\/\/127\.0\.0\.1:\d+\/v2\/team\/notes\/manifests\/v1 → 201/);
    for (const text of [login.stdout, login.stderr, wrong.stderr, push.stdout, push.stderr])
      assert.ok(!text.includes(registry.password!), 'password leaked');

    await cliOk(['logout', registry.host], { env });
    const after = JSON.parse(await fs.readFile(configFile, 'utf8')) as { auths: Record<string, unknown> };
    assert.deepEqual(after.auths, {});
    const denied = await cli(['resolve', `${registry.host}/team/notes:v1`, ...tls], { env });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /127\.0\.0\.1/);
  });

  describe("login that cannot write docker's config (a CI job's home read-only, missing or odd)", () => {
    const HINT =
      '  hint: docker keeps logins in $DOCKER_CONFIG/config.json (default ~/.docker): set DOCKER_CONFIG to a folder you can write, or pass --registry-config FILE';

    it('a home that takes no folders: names the folder, DOCKER_CONFIG and --registry-config', async () => {
      // /proc answers "no such file" for any new folder, even to root.
      const run = await cli(
        ['login', registry.host, '-u', registry.username!, '--password-stdin', '--ca-file', registry.caFile!],
        { env: { HOME: '/proc', DOCKER_CONFIG: '' }, stdin: `${registry.password}\n` },
      );
      assert.equal(run.code, 1, run.stderr);
      assert.deepEqual(run.stderr.trimEnd().split('\n'), [
        'stowage login: cannot create the folder /proc/.docker: /proc does not accept new folders',
        HINT,
      ]);
    });

    it('a read-only home (a user who cannot write it): the same, after "permission denied"', async () => {
      const readOnlyHome = path.join(home, 'read-only-home');
      await fs.mkdir(readOnlyHome, { mode: 0o555 });
      // Root writes anywhere: the login runs as user nobody, with the CA where nobody can read it.
      const ca = path.join(home, 'ca.pem');
      await fs.copyFile(registry.caFile!, ca);
      await fs.chmod(home, 0o755);
      await fs.chmod(ca, 0o644);
      const args = ['login', registry.host, '-u', registry.username!, '--password-stdin', '--ca-file', ca];
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          'setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI_MAIN, ...args],
          { env: { PATH: process.env['PATH'], HOME: readOnlyHome }, stdio: ['pipe', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
        child.stdin.end(`${registry.password}\n`);
      });
      assert.equal(run.code, 1, run.stderr);
      assert.deepEqual(run.stderr.trimEnd().split('\n'), [
        `stowage login: ${path.join(readOnlyHome, '.docker')}: permission denied`,
        HINT,
      ]);
    });
  });

  it('login on a terminal asks for the user name and the password, without showing the password (as docker and ORAS do)', async () => {
    const env = { ...process.env, DOCKER_CONFIG: path.join(home, 'docker-typed') };
    const command = [process.execPath, CLI_MAIN, 'login', registry.host, '--ca-file', registry.caFile!]
      .map((word) => `'${word}'`)
      .join(' ');
    // util-linux's script gives the CLI a real terminal; each answer is typed once its question shows.
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const answers: [string, string][] = [
      ['Username: ', `${registry.username}\r`],
      ['Password: ', `${registry.password}\r`],
    ];
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const next = answers[0];
      if (next && screen.includes(next[0])) {
        answers.shift();
        setTimeout(() => child.stdin.write(next[1]), 200);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, screen);
    assert.match(screen, /Username: /);
    assert.match(screen, new RegExp(`logged in to ${registry.host.replace(/\./g, '\\.')} as ${registry.username}`));
    assert.ok(!screen.includes(registry.password!), `the password showed on the terminal:\n${screen}`);
    const saved = JSON.parse(await fs.readFile(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    assert.equal(
      Buffer.from(saved.auths[registry.host]!.auth, 'base64').toString(),
      `${registry.username}:${registry.password}`,
    );
    // Without a terminal nothing is asked: a script gets the usage error at once.
    const piped = await cli(['login', registry.host, '--ca-file', registry.caFile!], { env });
    assert.equal(piped.code, 2);
    assert.match(piped.stderr, /login needs -u USER and the password/);
  });

  it('login asking for the password on a terminal stops on SIGTERM (a cancelled job, a closed session) instead of waiting for it', async () => {
    const env = { ...process.env, DOCKER_CONFIG: path.join(home, 'docker-stopped') };
    const words = [
      process.execPath,
      CLI_MAIN,
      'login',
      registry.host,
      '-u',
      registry.username!,
      '--ca-file',
      registry.caFile!,
    ];
    // exec: the shell script starts becomes the CLI, so its process id is the one to signal.
    const command = `exec ${words.map((word) => `'${word}'`).join(' ')}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const asked = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString('utf8');
        if (screen.includes('Password: ')) resolve();
      }),
    );
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const bounded = <T>(what: Promise<T>, label: string) =>
      Promise.race([
        what,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${label}:\n${screen}`)), 20_000).unref()),
      ]);
    try {
      await bounded(asked, 'the password was never asked');
      const cliPid = Number((await fs.readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim());
      process.kill(cliPid, 'SIGTERM');
      await bounded(closed, 'still waiting for the password after SIGTERM');
    } finally {
      child.kill('SIGKILL');
    }
    assert.match(screen, /stowage login: interrupted by SIGTERM/);
    await assert.rejects(fs.stat(env.DOCKER_CONFIG), /ENOENT/, 'nothing saved');
  });

  it('login run inside a folder holding a planted credential helper uses the helper installed on PATH, never the planted one', async () => {
    const repo = path.join(home, 'cloned-repo');
    const bin = path.join(home, 'installed-bin');
    const docker = path.join(home, 'docker-helper');
    for (const dir of [repo, bin, docker]) await fs.mkdir(dir, { recursive: true });
    const helper = (label: string) => `#!/bin/sh\necho "$1 $(cat)" >> "${home}/${label}.ran"\n`;
    await fs.writeFile(path.join(repo, 'docker-credential-desk'), helper('planted'), { mode: 0o755 });
    await fs.writeFile(path.join(bin, 'docker-credential-desk'), helper('installed'), { mode: 0o755 });
    await fs.writeFile(path.join(docker, 'config.json'), JSON.stringify({ credsStore: 'desk' }));
    // "." and an empty entry first: a shell (or Windows, for the current folder) would find the planted one.
    const env = { DOCKER_CONFIG: docker, PATH: `.::${bin}:${process.env.PATH}` };
    const login = await cliProcess(
      ['login', registry.host, '-u', registry.username!, '--password-stdin', '--ca-file', registry.caFile!],
      env,
      { cwd: repo, stdin: `${registry.password}\n` },
    );
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /saved with docker-credential-desk/);
    await assert.rejects(fs.stat(path.join(home, 'planted.ran')), 'the planted helper never ran');
    assert.match(
      await fs.readFile(path.join(home, 'installed.ran'), 'utf8'),
      new RegExp(`^store .*"Secret":"${registry.password}"`),
    );
  });

  it('8 stowage processes pushing into one layout at once leave 8 tags and a valid index.json', async () => {
    const layout = path.join(home, 'shared-layout');
    const runs = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const file = path.join(home, `file-${i}.txt`);
        await fs.writeFile(file, `artifact number ${i}\n`);
        return cliProcess(['push', `oci:${layout}:v${i}`, file]);
      }),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const index = JSON.parse(await fs.readFile(path.join(layout, 'index.json'), 'utf8')) as {
      manifests: Array<{ annotations: Record<string, string> }>;
    };
    assert.deepEqual(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort(), [
      'v0',
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
      'v6',
      'v7',
    ]);
    const tags = await cliOk(['tags', `oci:${layout}`]);
    assert.equal(tags.stdout.trim().split('\n').length, 8);
  });
});
