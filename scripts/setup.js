#!/usr/bin/env node
// Installs the machine packages the tests need when they are missing: Debian packages with apt when root,
// otherwise it fails with the command to run. Idempotent and quick when everything is present.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// binary → Debian package providing it
const REQUIRED = {
  'docker-registry': 'docker-registry',
  skopeo: 'skopeo',
  chromium: 'chromium',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
  umoci: 'umoci',
  // GNU time: the bench reads each process's peak RSS from it.
  time: 'time',
  // The bench's floor: raw uploads and downloads with no client work.
  curl: 'curl',
  // The shells whose completion scripts `stowage completion` writes are run by the completion tests.
  zsh: 'zsh',
  fish: 'fish',
};
// Headers needed to build code-server's native modules.
const REQUIRED_PACKAGES = ['libkrb5-dev'];

function hasBinary(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function hasPackage(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function missingPackages() {
  const missing = new Set();
  for (const [binary, pkg] of Object.entries(REQUIRED)) if (!hasBinary(binary)) missing.add(pkg);
  for (const pkg of REQUIRED_PACKAGES) if (!hasPackage(pkg)) missing.add(pkg);
  return [...missing];
}

/**
 * apt-get and dpkg print hundreds of progress lines a newcomer has no use for: their output goes to a log file,
 * shown (its end, and where it is) only when the install fails.
 */
function installQuietly(packages) {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-setup-')), 'apt-get.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', '--no-install-recommends', ...packages],
  ]) {
    fs.appendFileSync(log, `$ apt-get ${args.join(' ')}\n`);
    const out = fs.openSync(log, 'a');
    const result = spawnSync('apt-get', args, { stdio: ['ignore', out, out], env });
    fs.closeSync(out);
    if (result.status !== 0) {
      const lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
      console.error(lines.slice(-30).join('\n'));
      const why = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
      console.error(`stowage setup: apt-get ${args[0]} failed (${why}); its whole output is in ${log}`);
      process.exit(1);
    }
  }
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
}

function main() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    console.error(`stowage setup: missing ${missing.join(', ')}. Install them with:\n  sudo ${command}`);
    process.exit(1);
  }
  installMissing(missing);
}

/** Installs `missing` with apt-get (root's part, apart so that it can be run by itself) and checks it took. */
function installMissing(missing) {
  console.log(`stowage setup: installing ${missing.join(', ')} with apt-get (a minute or two, once)`);
  const started = Date.now();
  installQuietly(missing);
  console.log(`stowage setup: installed in ${Math.round((Date.now() - started) / 1000)} s`);
  const still = missingPackages();
  if (still.length) {
    console.error(`stowage setup: still missing after install: ${still.join(', ')}`);
    process.exit(1);
  }
}

if (require.main === module) main();
module.exports = { installMissing, missingPackages };
