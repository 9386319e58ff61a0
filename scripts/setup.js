#!/usr/bin/env node
// Installs the machine packages the tests need when they are missing: Debian packages with apt when root,
// otherwise it fails with the command to run. Idempotent and quick when everything is present.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');

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

function main() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    console.error(`stowage setup: missing ${missing.join(', ')}. Install them with:\n  sudo ${command}`);
    process.exit(1);
  }
  console.log(`stowage setup: installing ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = missingPackages();
  if (still.length) {
    console.error(`stowage setup: still missing after install: ${still.join(', ')}`);
    process.exit(1);
  }
}

main();
