import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { layoutInput, Session } from '../../../src/cli/session';
import { COMMON_OPTIONS } from '../../../src/cli/commonOptions';
import { cli } from '../../helpers/runCli';

async function configsOf(argv: string[], hosts: string[]) {
  const session = new Session(parseArgs(argv, COMMON_OPTIONS), undefined, {});
  try {
    const configs = [];
    for (const host of hosts) {
      const { plainHttp, skipTlsVerify } = (await session.client(host)).config;
      configs.push({ host, plainHttp, skipTlsVerify });
    }
    return configs;
  } finally {
    await session.close();
  }
}

describe('CLI session registry settings', () => {
  it('applies --plain-http-registry and --insecure-registry to the hosts they name only', async () => {
    assert.deepEqual(
      await configsOf(
        ['--plain-http-registry', 'LAN:5000', '--plain-http-registry', 'b:1', '--insecure-registry', 'self.signed'],
        ['lan:5000', 'b:1', 'self.signed', 'ghcr.io'],
      ),
      [
        { host: 'lan:5000', plainHttp: true, skipTlsVerify: undefined },
        { host: 'b:1', plainHttp: true, skipTlsVerify: undefined },
        { host: 'self.signed', plainHttp: undefined, skipTlsVerify: true },
        { host: 'ghcr.io', plainHttp: undefined, skipTlsVerify: undefined },
      ],
    );
  });

  it('keeps --plain-http and --insecure for every registry named', async () => {
    assert.deepEqual(await configsOf(['--plain-http', '--insecure'], ['a:1', 'b:2']), [
      { host: 'a:1', plainHttp: true, skipTlsVerify: true },
      { host: 'b:2', plainHttp: true, skipTlsVerify: true },
    ]);
  });

  it('takes -u with -p or --password-stdin (read once), a password alone as an identity token, and refuses half a login', async () => {
    const session = (argv: string[], stdin = '') =>
      new Session(parseArgs(argv, COMMON_OPTIONS), undefined, {}, () => Promise.resolve(stdin));
    assert.deepEqual(await session(['-u', 'me', '-p', 'secret']).flagCredentials(), {
      username: 'me',
      password: 'secret',
    });
    const piped = session(['-u', 'me', '--password-stdin'], 'from-stdin');
    assert.deepEqual(await piped.flagCredentials(), { username: 'me', password: 'from-stdin' });
    assert.equal(await session([]).flagCredentials(), undefined);
    assert.deepEqual(await session(['-p', 'refresh']).flagCredentials(), { identityToken: 'refresh' });
    assert.deepEqual(await session(['--password-stdin'], 'refresh').flagCredentials(), { identityToken: 'refresh' });
    await assert.rejects(session(['-u', 'me']).flagCredentials(), /-u me needs a password/);
    await assert.rejects(session(['-u', 'me', '--password-stdin']).flagCredentials(), /nothing was given/);
    await assert.rejects(
      session(['-u', 'me', '-p', 'a', '--password-stdin'], 'b').flagCredentials(),
      /either --password or --password-stdin/,
    );
  });
});

describe('empty credentials flags (a CI secret the job does not have)', () => {
  it('refuses an empty -u, -p, --to-username or --identity-token as a usage error naming the flag, before any request', async () => {
    for (const [args, flag] of [
      [['tags', '127.0.0.1:1/app', '-u', 'me', '-p', ''], '-p'],
      [['tags', '127.0.0.1:1/app', '-u', '', '--password-stdin'], '-u'],
      [
        ['copy', '127.0.0.1:1/app:v1', '127.0.0.1:2/app:v1', '--to-username', '', '--to-password', 'x'],
        '--to-username',
      ],
      [['login', '127.0.0.1:1', '--identity-token', ''], '--identity-token'],
    ] as const) {
      const run = await cli([...args], { stdin: 'piped-secret' });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(
        run.stderr.includes(`stowage ${args[0]}: ${flag} is empty (an unset variable or CI secret?)`),
        `${args.join(' ')}: ${run.stderr}`,
      );
    }
  });
});

describe('--oci-layout references', () => {
  it('reads a path as a layout folder, and a path ending in .tar (before its tag or digest) as a layout archive', () => {
    assert.equal(layoutInput('out/layout:v1', true), 'oci:out/layout:v1');
    assert.equal(layoutInput('backup.tar:v1', true), 'oci-archive:backup.tar:v1');
    assert.equal(
      layoutInput(`backup.tar@sha256:${'a'.repeat(64)}`, true),
      `oci-archive:backup.tar@sha256:${'a'.repeat(64)}`,
    );
    assert.equal(layoutInput('backup.tar', true), 'oci-archive:backup.tar');
    assert.equal(layoutInput('oci-archive:x.tar:v1', true), 'oci-archive:x.tar:v1');
    assert.equal(layoutInput('registry.example/app:v1', false), 'registry.example/app:v1');
  });
});
