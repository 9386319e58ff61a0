// The CLI as someone without the clone gets it: `npm pack` on this checkout (its prepack step builds the
// production bundles) gives a tarball holding the CLI and nothing else, `npm install -g` puts it into a fresh
// prefix without fetching anything, and the installed `stowage` pushes and pulls against a real registry.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

  it('installs with npm install -g into a fresh prefix, offline, and the installed stowage pushes and pulls', () => {
    const prefix = path.join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
      env,
      stdio: 'pipe',
    });
    const stowage = path.join(prefix, 'bin', 'stowage');
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
});
