// Identity (refresh) tokens, as ORAS takes them: `login --identity-token-stdin` / `--identity-token`, saved as
// docker's `identitytoken` and used from there; `-p <token>` (or --password-stdin) without a user name on any
// command. Against the real distribution registry with the token server the tests own, which grants access
// tokens for a refresh token by OAuth2 POST.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { cli, cliOk } from '../../helpers/runCli';

describe('stowage CLI: identity tokens (ORAS --identity-token, -p without -u)', function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let home: string;
  let token: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    registry = await startRegistry({ variant: 'token', logLevel: 'error' });
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-identity-'));
    token = registry.tokenServer!.issueRefreshToken(registry.username!);
    env = {
      DOCKER_CONFIG: path.join(home, 'docker'),
      REGISTRY_AUTH_FILE: path.join(home, 'none.json'),
      XDG_CONFIG_HOME: path.join(home, 'xdg'),
    };
    await fs.writeFile(path.join(home, 'a.txt'), 'by token\n');
  });
  after(async () => {
    await registry?.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  const postedGrants = () => registry.tokenServer!.requests.filter((r) => r.method === 'POST').length;

  it('login --identity-token-stdin checks the token, saves it as identitytoken, and later commands use it', async () => {
    const login = await cliOk(['login', registry.host, '--identity-token-stdin', '--plain-http'], {
      env,
      stdin: `${token}\n`,
    });
    assert.match(login.stdout, new RegExp(`^logged in to ${registry.host} with an identity token \\(saved in `));
    const saved = JSON.parse(await fs.readFile(path.join(home, 'docker', 'config.json'), 'utf8')) as {
      auths: Record<string, { identitytoken?: string; auth?: string }>;
    };
    assert.deepEqual(saved.auths[registry.host], { identitytoken: token });
    const before = postedGrants();
    await cliOk(['push', `${registry.host}/tokens/app:v1`, path.join(home, 'a.txt'), '--plain-http'], { env });
    assert.ok(postedGrants() > before, 'access tokens came from the refresh token');
    assert.ok(!`${login.stdout}${login.stderr}`.includes(token), 'the token is never printed');
  });

  it('refuses a wrong identity token and saves nothing; --identity-token warns that it is insecure', async () => {
    const other = { ...env, DOCKER_CONFIG: path.join(home, 'other-docker') };
    const wrong = await cli(['login', registry.host, '--identity-token', 'not-a-token', '--plain-http'], {
      env: other,
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /WARNING! Using --identity-token via the CLI is insecure/);
    assert.match(wrong.stderr, /refused the identity token; nothing was saved|rejected/);
    await assert.rejects(fs.stat(path.join(home, 'other-docker', 'config.json')));
    const mixed = await cli(['login', registry.host, '-u', 'x', '--identity-token', token, '--plain-http'], {
      env: other,
    });
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /an identity token replaces a user and password: give --identity-token or -u\/-p/);
  });

  it('-p <token> or --password-stdin without -u is an identity token on any command', async () => {
    const none = { ...env, DOCKER_CONFIG: path.join(home, 'nobody') };
    const denied = await cli(['tags', `${registry.host}/tokens/app`, '--plain-http'], { env: none });
    assert.equal(denied.code, 1);
    const tags = await cliOk(['tags', `${registry.host}/tokens/app`, '--plain-http', '--password-stdin'], {
      env: none,
      stdin: `${token}\n`,
    });
    assert.equal(tags.stdout, 'v1\n');
    const flag = await cliOk(['tags', `${registry.host}/tokens/app`, '--plain-http', '-p', token], { env: none });
    assert.equal(flag.stdout, 'v1\n');
  });

  it('--identity-token and --identity-token-stdin work on any command, as in ORAS 1.3', async () => {
    const none = { ...env, DOCKER_CONFIG: path.join(home, 'nobody') };
    const before = postedGrants();
    const piped = await cliOk(
      ['pull', `${registry.host}/tokens/app:v1`, '--plain-http', '--identity-token-stdin', '-o', path.join(home, 'p')],
      { env: none, stdin: `${token}\n` },
    );
    assert.match(piped.stdout, /^Pulled \[registry\] /m);
    assert.ok(postedGrants() > before, 'access tokens came from the refresh token');
    assert.equal(await fs.readFile(path.join(home, 'p', 'a.txt'), 'utf8'), 'by token\n');
    const flag = await cliOk(
      ['repo', 'tags', `${registry.host}/tokens/app`, '--plain-http', '--identity-token', token],
      {
        env: none,
      },
    );
    assert.equal(flag.stdout, 'v1\n');
    assert.match(flag.stderr, /WARNING! Using --identity-token via the CLI is insecure/);
    const mixed = await cli(
      ['resolve', `${registry.host}/tokens/app:v1`, '--identity-token', token, '-u', 'x', '-p', 'y'],
      {
        env: none,
      },
    );
    assert.equal(mixed.code, 2);
  });

  it('cp --from-identity-token reads the source with its token, the destination with its own flags', async () => {
    const none = { ...env, DOCKER_CONFIG: path.join(home, 'nobody') };
    const layout = path.join(home, 'copied');
    const copied = await cliOk(
      ['cp', `${registry.host}/tokens/app:v1`, `oci:${layout}:v1`, '--from-plain-http', '--from-identity-token', token],
      { env: none },
    );
    assert.match(copied.stdout, /^Copied \[registry\] .* => \[oci-layout\] /m);
    assert.ok(!copied.stdout.includes(token) && !copied.stderr.includes(token), 'the token is never printed');
  });
});
