// Secrets and TLS through the CLI against real registries: no password or issued token in any output (verbose
// HTTP log, results, errors), pull-only operations ask for pull-only scopes, TLS is verified by default and
// the refusal says how to trust the CA, and skipping verification applies only to the registry configured so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';
import { recordFigures } from '../../helpers/figures';
import { cli, cliOk, type CliRun } from '../../helpers/runCli';

describe('stowage CLI: secrets and TLS', function () {
  this.timeout(120_000);
  let home: string;
  const tally = { outputs: 0, clean: 0 };
  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-secrets-'));
  });
  after(async () => {
    recordFigures('secrets', {
      'outputs grepped for secrets': {
        tried: tally.outputs,
        held: tally.clean,
        detail: 'CLI stdout/stderr (verbose HTTP log, errors) free of the password and every issued token',
      },
    });
    await fs.rm(home, { recursive: true, force: true });
  });

  function assertClean(runs: CliRun[], secrets: string[]): void {
    for (const run of runs) {
      tally.outputs++;
      for (const secret of secrets)
        assert.ok(
          !run.stdout.includes(secret) && !run.stderr.includes(secret),
          `a secret leaked into:\n${run.stderr}${run.stdout}`,
        );
      tally.clean++;
    }
  }

  describe('with a token registry', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ variant: 'token', logLevel: 'error' });
    });
    after(async () => {
      await registry?.stop();
    });

    it('keeps the password and every token out of verbose logs and errors, and asks pull-only scopes for a pull', async () => {
      const env = { DOCKER_CONFIG: path.join(home, 'docker') };
      const login = await cliOk(
        ['login', registry.host, '-u', registry.username!, '--password-stdin', '--plain-http'],
        { env, stdin: `${registry.password}\n` },
      );
      const file = path.join(home, 'secret-free.txt');
      await fs.writeFile(file, 'content');
      const ref = `${registry.host}/secrets/app:v1`;
      const push = await cliOk(['push', ref, file, '--plain-http', '--verbose'], { env });
      const attach = await cliOk(
        ['attach', ref, file, '--artifact-type', 'application/vnd.test', '--plain-http', '--verbose'],
        { env },
      );
      const start = registry.tokenServer!.requests.length;
      const pull = await cliOk(['pull', ref, '-o', path.join(home, 'out'), '--plain-http', '--verbose'], { env });
      const pullScopes = registry.tokenServer!.requests.slice(start).flatMap((r) => r.scopes);
      assert.ok(pullScopes.length > 0);
      assert.deepEqual([...new Set(pullScopes)], ['repository:secrets/app:pull'], 'a pull asked only for pull');
      const discover = await cliOk(['discover', ref, '--plain-http', '--verbose'], { env });
      const wrong = await cli(['pull', ref, '--plain-http', '--verbose'], {
        env: { DOCKER_CONFIG: path.join(home, 'none') },
      });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /requires authentication/);
      assert.match(push.stderr, /PUT http:\/\/127\.0\.0\.1:\d+\/v2\/secrets\/app\/manifests\/v1 → 201/);
      assert.ok(registry.tokenServer!.issuedTokens.length >= 3);
      assertClean(
        [login, push, attach, pull, discover, wrong],
        [registry.password!, ...registry.tokenServer!.issuedTokens],
      );
    });
  });

  describe('with a plain HTTP registry reached as TLS', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ variant: 'plain', logLevel: 'error' });
    });
    after(async () => {
      await registry?.stop();
    });

    it('finds a loopback registry speaks plain HTTP by itself (as ORAS); told to use TLS, says it answers in plain HTTP and names the flag', async () => {
      const file = path.join(home, 'plain.txt');
      await fs.writeFile(file, 'over plain HTTP');
      await cliOk(['push', `${registry.host}/plain/app:v1`, file]);
      const tlsOnly = path.join(home, 'tls-only.json');
      await fs.writeFile(tlsOnly, JSON.stringify({ registries: [{ host: registry.host, plainHttp: false }] }));
      const refused = await cli(['push', `${registry.host}/plain/app:v1`, file, '--hosts-config', tlsOnly]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /TLS with 127\.0\.0\.1:\d+ failed: it answers in plain HTTP/);
      assert.ok(refused.stderr.includes(`hint: pass --plain-http-registry ${registry.host}`), refused.stderr);
      assert.doesNotMatch(refused.stderr, /--ca-file/, 'a plain HTTP answer is not a trust problem');
      await cliOk(['push', `${registry.host}/plain/app:v1`, file, '--plain-http-registry', registry.host]);
    });
  });

  describe('with TLS registries', () => {
    let a: TestRegistry;
    let b: TestRegistry;
    before(async () => {
      [a, b] = await Promise.all([
        startRegistry({ variant: 'basic-tls', logLevel: 'error' }),
        startRegistry({ variant: 'basic-tls', logLevel: 'error' }),
      ]);
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });

    const envFor = async (registry: TestRegistry, name: string) => {
      const dir = path.join(home, name);
      await fs.mkdir(dir, { recursive: true });
      const auths = {
        [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') },
      };
      await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ auths }));
      return { DOCKER_CONFIG: dir };
    };

    it('verifies by default: an unknown CA is refused with how to configure it, and works with --ca-file', async () => {
      const env = await envFor(a, 'docker-a');
      const refused = await cli(['tags', `${a.host}/tls/app`], { env });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /TLS with 127\.0\.0\.1:\d+ failed \([A-Z_]+\): its certificate is not trusted/);
      assert.match(refused.stderr, /^ {2}hint: pass --ca-file <pem> for this registry/m);
      assert.doesNotMatch(refused.stderr, /stowage\.registries/, 'the CLI names its own flags, not editor settings');
      const file = path.join(home, 'tls.txt');
      await fs.writeFile(file, 'over TLS');
      await cliOk(['push', `${a.host}/tls/app:v1`, file, '--ca-file', a.caFile!], { env });
      assertClean([refused], [a.password!]);
    });

    it('skips verification only for the registry configured so', async () => {
      const config = path.join(home, 'registries.json');
      await fs.writeFile(config, JSON.stringify({ registries: [{ host: a.host, skipTlsVerify: true }] }));
      const envA = await envFor(a, 'docker-a2');
      const envB = await envFor(b, 'docker-b');
      const skipped = await cliOk(['tags', `${a.host}/tls/app`, '--hosts-config', config], { env: envA });
      assert.match(skipped.stdout, /v1/);
      const verified = await cli(['tags', `${b.host}/tls/app`, '--hosts-config', config], { env: envB });
      assert.equal(verified.code, 1);
      assert.match(verified.stderr, /TLS with 127\.0\.0\.1:\d+ failed/);
    });
  });
});
