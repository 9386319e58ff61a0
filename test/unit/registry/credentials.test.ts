// The credentials chain with real files and real helper programs: temporary DOCKER_CONFIG and
// XDG_RUNTIME_DIR folders, and fake `docker-credential-*` scripts on PATH.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { podmanAuthFiles, resolveCredentials, type CredentialProvider } from '../../../src/core/registry/credentials';

describe('credentials chain', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let dockerDir: string;
  let runtimeDir: string;
  let binDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-creds-'));
    dockerDir = path.join(root, 'docker');
    runtimeDir = path.join(root, 'run');
    binDir = path.join(root, 'bin');
    for (const dir of [dockerDir, path.join(runtimeDir, 'containers'), binDir]) fs.mkdirSync(dir, { recursive: true });
    env = { PATH: `${binDir}:${process.env.PATH}`, DOCKER_CONFIG: dockerDir, XDG_RUNTIME_DIR: runtimeDir, HOME: root };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writeDocker = (config: unknown) =>
    fs.writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify(config));
  const writePodman = (config: unknown) =>
    fs.writeFileSync(path.join(runtimeDir, 'containers', 'auth.json'), JSON.stringify(config));
  const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString('base64');
  /** A helper that records the host it was asked about and answers `answer` (or "not found" with exit 1). */
  const writeHelper = (name: string, answer: unknown | 'not-found') => {
    const script =
      answer === 'not-found'
        ? `#!/bin/sh\ncat > "${root}/${name}.asked"\necho "credentials not found in native keychain"\nexit 1\n`
        : `#!/bin/sh\ncat > "${root}/${name}.asked"\ncat <<'JSON'\n${JSON.stringify(answer)}\nJSON\n`;
    fs.writeFileSync(path.join(binDir, `docker-credential-${name}`), script, { mode: 0o755 });
  };
  const askedOf = (name: string) => fs.readFileSync(path.join(root, `${name}.asked`), 'utf8');

  it('prefers explicit credentials over a provider and tool files', async () => {
    writeDocker({ auths: { 'r.example': { auth: basic('file', 'f') } } });
    const provider: CredentialProvider = { get: async () => ({ username: 'p', password: 'p' }) };
    const found = await resolveCredentials('r.example', {
      explicit: { 'r.example': { username: 'e', password: 'x' } },
      provider,
      env,
    });
    assert.deepEqual(found, { username: 'e', password: 'x', source: 'explicit' });
  });

  it('asks the provider before docker config', async () => {
    writeDocker({ auths: { 'r.example': { auth: basic('file', 'f') } } });
    const asked: string[] = [];
    const provider: CredentialProvider = {
      get: async (host) => {
        asked.push(host);
        return { username: 'p', password: 'pw' };
      },
    };
    assert.deepEqual(await resolveCredentials('r.example', { provider, env }), {
      username: 'p',
      password: 'pw',
      source: 'provider',
    });
    assert.deepEqual(asked, ['r.example']);
  });

  it('reads docker config auths with base64 auth under a key with scheme', async () => {
    writeDocker({ auths: { 'https://r.example:5000': { auth: basic('u', 'p:with:colons') } } });
    assert.deepEqual(await resolveCredentials('r.example:5000', { env }), {
      username: 'u',
      password: 'p:with:colons',
      source: 'docker-config',
    });
  });

  it('reads an identitytoken from docker config auths', async () => {
    writeDocker({ auths: { 'r.example': { identitytoken: 'refresh-abc' } } });
    const found = await resolveCredentials('r.example', { env });
    assert.equal(found.identityToken, 'refresh-abc');
    assert.equal(found.source, 'docker-config');
  });

  it('runs the credHelpers entry for the host with the host on stdin', async () => {
    writeHelper('fake', { ServerURL: 'r.example', Username: 'helper-user', Secret: 'helper-secret' });
    writeDocker({ credHelpers: { 'r.example': 'fake' }, auths: { 'r.example': { auth: basic('file', 'f') } } });
    assert.deepEqual(await resolveCredentials('r.example', { env }), {
      username: 'helper-user',
      password: 'helper-secret',
      source: 'credential-helper',
    });
    assert.equal(askedOf('fake'), 'r.example');
  });

  it('runs credsStore and treats the <token> user name as an identity token', async () => {
    writeHelper('store', { ServerURL: 'r.example', Username: '<token>', Secret: 'refresh-xyz' });
    writeDocker({ credsStore: 'store', auths: { 'r.example': {} } });
    assert.deepEqual(await resolveCredentials('r.example', { env }), {
      identityToken: 'refresh-xyz',
      source: 'credential-helper',
    });
  });

  it('falls through to podman auth.json when the helper has nothing', async () => {
    writeHelper('empty', 'not-found');
    writeDocker({ credsStore: 'empty' });
    writePodman({ auths: { 'r.example': { auth: basic('pod', 'man') } } });
    assert.deepEqual(await resolveCredentials('r.example', { env }), {
      username: 'pod',
      password: 'man',
      source: 'podman',
    });
  });

  it('finds Docker Hub credentials under the legacy index key and asks helpers about it', async () => {
    writeDocker({ auths: { 'https://index.docker.io/v1/': { auth: basic('hub', 'h') } } });
    assert.deepEqual(await resolveCredentials('docker.io', { env }), {
      username: 'hub',
      password: 'h',
      source: 'docker-config',
    });
    writeHelper('hub', { Username: 'hu', Secret: 'hs' });
    writeDocker({ credHelpers: { 'docker.io': 'hub' } });
    assert.deepEqual(await resolveCredentials('docker.io', { env }), {
      username: 'hu',
      password: 'hs',
      source: 'credential-helper',
    });
    assert.equal(askedOf('hub'), 'https://index.docker.io/v1/');
  });

  it('is anonymous when nothing knows the host, and ignores a broken config file', async () => {
    fs.writeFileSync(path.join(dockerDir, 'config.json'), '{ not json');
    assert.deepEqual(await resolveCredentials('r.example', { env }), { source: 'anonymous' });
  });

  it('names a configured helper that is not installed, without secrets', async () => {
    writeDocker({ credHelpers: { 'r.example': 'missing' } });
    await assert.rejects(resolveCredentials('r.example', { env: { ...env, PATH: binDir } }), (err: Error) =>
      err.message.startsWith(
        `docker-credential-missing not found on PATH: ${path.join(dockerDir, 'config.json')} names "missing"`,
      ),
    );
  });

  it('reads podman’s files where containers-auth.json(5) puts them: REGISTRY_AUTH_FILE, then ~/.config/containers', async () => {
    const configFile = path.join(root, '.config', 'containers', 'auth.json');
    fs.mkdirSync(path.dirname(configFile), { recursive: true });
    fs.writeFileSync(configFile, JSON.stringify({ auths: { 'r.example': { auth: basic('cfg', 'c') } } }));
    assert.deepEqual(await resolveCredentials('r.example', { env }), {
      username: 'cfg',
      password: 'c',
      source: 'podman',
    });

    const override = path.join(root, 'override.json');
    fs.writeFileSync(override, JSON.stringify({ auths: { 'r.example': { auth: basic('ovr', 'o') } } }));
    assert.deepEqual(await resolveCredentials('r.example', { env: { ...env, REGISTRY_AUTH_FILE: override } }), {
      username: 'ovr',
      password: 'o',
      source: 'podman',
    });
  });

  it('names podman’s primary file per OS, as podman does', () => {
    const env = { HOME: '/home/me', XDG_RUNTIME_DIR: '/run/user/1000' };
    assert.deepEqual(podmanAuthFiles(env, 'linux'), [
      '/run/user/1000/containers/auth.json',
      '/home/me/.config/containers/auth.json',
    ]);
    assert.deepEqual(podmanAuthFiles(env, 'darwin'), ['/home/me/.config/containers/auth.json']);
    assert.deepEqual(podmanAuthFiles({ ...env, XDG_CONFIG_HOME: '/cfg' }, 'linux'), [
      '/run/user/1000/containers/auth.json',
      '/cfg/containers/auth.json',
    ]);
    assert.equal(podmanAuthFiles({ ...env, REGISTRY_AUTH_FILE: '/x/auth.json' }, 'linux')[0], '/x/auth.json');
  });
});
