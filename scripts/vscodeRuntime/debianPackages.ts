// Makes sure Debian packages the VS Code runs need are present: installs them with apt when root, otherwise fails
// with the command to run (never a silent skip).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { runCommand } from './runCommand';

export function isDebianPackageInstalled(name: string): boolean {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

export async function ensureDebianPackages(names: string[]): Promise<void> {
  const missing = names.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `missing Debian packages ${missing.join(', ')}; install them with: ` +
        `sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }
  console.log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand('apt-get', ['update', '-qq'], { env });
  await runCommand('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  const still = missing.filter((name) => !isDebianPackageInstalled(name));
  if (still.length) throw new Error(`Debian packages still missing after apt-get: ${still.join(', ')}`);
}
