// The CLI as someone without the clone gets it: `npm pack` on this checkout (its prepack step builds the
// production bundles) gives a tarball holding the CLI and nothing else, `npm install -g` puts it into a fresh
// prefix without fetching anything, and the installed `stowage` pushes and pulls against a real registry.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nestedNpmEnvironment } from '../../../scripts/vscodeRuntime/npmEnvironment';
import { startRegistry, type TestRegistry } from '../../fixtures/registry';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
/** What the installed CLI needs: its launcher and bundle, the hashing thread it starts and the CycloneDX schemas it reads. */
const ALLOWED = [
  /^package\/package\.json$/,
  /^package\/README\.md$/,
  /^package\/LICENSE$/,
  /^package\/dist\/cli\.js$/,
  /^package\/dist\/cliMain\.js$/,
  /^package\/dist\/hashingFileWorker\.js$/,
  /^package\/dist\/cyclonedx-res\/schema\/[\w.-]+\.json$/,
];

describe('the packed CLI, installed globally', function () {
  this.timeout(300_000);
  let work: string;
  let registry: TestRegistry;
  let tarball: string;
  // As if typed in a fresh shell: none of the outer `npm test`'s variables reach these npm commands.
  const env = nestedNpmEnvironment(process.env);

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-installed-cli-'));
    registry = await startRegistry({ variant: 'plain', logLevel: 'warn' });
    const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    tarball = path.join(work, packed.trim().split('\n').pop()!);
  });

  after(async () => {
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs only what the installed CLI needs: no sources, tests, benchmarks or maps', () => {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const unexpected = entries.filter((entry) => !ALLOWED.some((pattern) => pattern.test(entry)));
    assert.deepEqual(unexpected, []);
    assert.ok(entries.includes('package/dist/cli.js'));
    assert.ok(entries.length < 30, `${entries.length} entries`);
  });

  /** `npm install -g` of the tarball into a fresh prefix, offline; the installed `stowage`. */
  function install(name: string): string {
    const prefix = path.join(work, name);
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      env,
      stdio: 'pipe',
    });
    return path.join(prefix, 'bin', 'stowage');
  }

  it('installs with npm install -g into a fresh prefix, offline, and the installed stowage pushes and pulls', () => {
    const stowage = install('prefix');
    const outside = path.join(work, 'elsewhere');
    fs.mkdirSync(outside);
    const run = (args: string[]) => execFileSync(stowage, args, { cwd: outside, env, encoding: 'utf8' });

    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
    assert.equal(run(['--version']).trim(), version);
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'from the installed CLI\n');
    run(['push', `${registry.host}/installed/cli:v1`, 'notes.txt', '--plain-http']);
    run(['pull', `${registry.host}/installed/cli:v1`, '-o', 'pulled', '--plain-http']);
    assert.equal(fs.readFileSync(path.join(outside, 'pulled', 'notes.txt'), 'utf8'), 'from the installed CLI\n');
  });

  it('discovers an artifact with a dozen referrers with nothing on stderr (no Node leak warning for requests at once)', async () => {
    const stowage = install('prefix-discover');
    const outside = path.join(work, 'discover');
    fs.mkdirSync(outside);
    // Not a synchronous spawn: the registry's access log is read by this process, and a blocked reader stalls it.
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(stowage, [...args, '--plain-http'], { cwd: outside, env, encoding: 'utf8' }, (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const subject = `${registry.host}/installed/discover:v1`;
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'the subject\n');
    assert.equal((await run(['push', subject, 'notes.txt'])).code, 0);
    for (let i = 1; i <= 12; i++) {
      fs.writeFileSync(path.join(outside, `sbom${i}.json`), `{"n":${i}}`);
      const attached = await run([
        'attach',
        subject,
        `sbom${i}.json:application/json`,
        '--artifact-type',
        `application/vnd.test.${i}`,
      ]);
      assert.equal(attached.code, 0, attached.stderr);
    }
    // Each referrer's listing and reads follow the run's signal at once: Node warned of a leak past ten listeners.
    const discovered = await run(['discover', subject]);
    assert.equal(discovered.code, 0, discovered.stderr);
    assert.equal(discovered.stderr, '');
    assert.equal(discovered.stdout.match(/application\/vnd\.test\.\d+/g)?.length, 12, discovered.stdout);
  });

  it('runs each command from an install it cannot write to, and past a code cache damaged on disk', () => {
    const stowage = install('prefix-cache');
    const dist = path.dirname(fs.realpathSync(stowage));
    const cache = path.join(dist, 'cliMain.js.cache');
    const outside = path.join(work, 'cache-run');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'cached\n');
    // As a system-wide install is for its users: root writes anywhere, so the commands run as nobody then.
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534 } : {};
    const run = (args: string[], as: object = {}) =>
      execFileSync(stowage, [...args, '--plain-http'], {
        cwd: outside,
        env: { ...env, HOME: outside },
        encoding: 'utf8',
        ...as,
      });
    const reference = `${registry.host}/installed/cache`;
    const installed = fs.readdirSync(dist);
    if (asRoot) fs.chmodSync(work, 0o755);
    else fs.chmodSync(dist, 0o555);
    try {
      // Each command loads its own modules from the bundle, with no cache to help.
      run(['push', `${reference}:v1`, 'notes.txt'], user);
      run(['tag', `${reference}:v1`, 'v2'], user);
      assert.equal(run(['tags', reference], user), 'v1\nv2\n');
      assert.match(run(['resolve', `${reference}:v2`], user), /^sha256:[0-9a-f]{64}\n$/);
      assert.deepEqual(fs.readdirSync(dist), installed, 'nothing written beside the bundle');
    } finally {
      if (!asRoot) fs.chmodSync(dist, 0o755);
    }

    // Writable: the first run writes the cache; damaged on disk, it is ignored and written anew.
    assert.equal(run(['tags', reference]), 'v1\nv2\n');
    const damaged = fs.readFileSync(cache);
    for (let i = Math.floor(damaged.length / 2); i < Math.floor(damaged.length / 2) + 64; i++) damaged[i]! ^= 0xff;
    fs.writeFileSync(cache, damaged);
    assert.equal(run(['tags', reference]), 'v1\nv2\n');
    assert.ok(!fs.readFileSync(cache).equals(damaged), 'the cache is written anew');
    assert.match(run(['--help']), /\n {2}tags +list the tags/);
    assert.equal(run(['tags', reference]), 'v1\nv2\n');
  });
});
