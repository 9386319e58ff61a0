#!/usr/bin/env node
// Runs before `npm start` and `npm test` (prestart/pretest): installs the project's npm dependencies with `npm ci`
// when node_modules is missing or older than package-lock.json, so that a fresh clone needs no step of its own.
// Plain Node only: nothing is installed yet when it runs.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Why node_modules must be (re)installed, or undefined when it is up to date. */
function reasonToInstall(projectRoot) {
  const lockFile = path.join(projectRoot, 'package-lock.json');
  // npm writes this copy of the lock last, after every package is in place: it marks a finished install.
  const installedLock = path.join(projectRoot, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installedLock)) return 'node_modules is missing or incomplete';
  if (fs.statSync(lockFile).mtimeMs > fs.statSync(installedLock).mtimeMs)
    return 'package-lock.json is newer than node_modules';
  return undefined;
}

function main() {
  const reason = reasonToInstall(root);
  if (!reason) return;
  console.log(`stowage: ${reason}; running npm ci`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `stowage: npm ci failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); fix the error above and run the command again`,
    );
    process.exit(1);
  }
}

if (require.main === module) main();
module.exports = { reasonToInstall };
