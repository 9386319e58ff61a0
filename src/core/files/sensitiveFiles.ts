// Files that often hold secrets and rarely belong in a published artifact: a `.git` folder (tokens in
// .git/config, the whole history), `.env` files, package-manager and network credentials, SSH and other
// private keys. Pushing a folder takes everything in it, so `stowage push . ` in a project would publish them.
// packFiles refuses them unless the caller allows them (the CLI's --allow-sensitive-files, the editor's modal).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OciError, printable, throwIfAborted } from '../oci';

/** Names that are secrets by name alone. */
const SECRET_NAMES = new Set([
  '.npmrc',
  '.pypirc',
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.dockercfg',
  '.htpasswd',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'credentials.json',
]);
/** `.env`, `.env.local`, `.env.production`… but not the templates people commit on purpose. */
const ENV_FILE = /^\.env(\.(?!(example|sample|template|dist|defaults)$)[^/]+)?$/i;
/** Key stores: secret whatever they hold. */
const KEY_STORE = /\.(p12|pfx|jks|keystore|ppk)$/i;
/** PEM-ish files are secrets only when they hold a private key (certificates are public). */
const MAYBE_KEY = /\.(pem|key)$/i;
const PRIVATE_KEY_MARK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const HEAD_BYTES = 64 * 1024;
/** Reported by name; more are counted. */
const MAX_LISTED = 20;

export class SensitiveFilesError extends OciError {
  constructor(
    readonly files: string[],
    readonly more: number,
  ) {
    super(
      'USAGE',
      `refusing to push files that often hold secrets: ${files.map((f) => printable(f)).join(', ')}${more ? ` and ${more} more` : ''}`,
    );
  }
}

/**
 * The sensitive files among `inputs` (files and folders as given to packFiles), named by the path the user
 * gave joined with the path inside it (a `.git` folder ends in "/" and is not walked). Symlinks are not followed.
 */
export async function findSensitiveFiles(
  inputs: string[],
  signal?: AbortSignal,
): Promise<{ files: string[]; more: number }> {
  const found: string[] = [];
  let more = 0;
  const report = (name: string) => {
    if (found.length < MAX_LISTED) found.push(name);
    else more++;
  };
  for (const input of inputs) {
    const stats = await fs.stat(input).catch(() => undefined);
    if (!stats) continue; // packFiles names what is missing
    if (stats.isFile()) {
      if (await isSensitiveFile(input)) report(input);
      continue;
    }
    if (!stats.isDirectory()) continue;
    if (path.basename(path.resolve(input)) === '.git') {
      report(`${input}/`);
      continue;
    }
    const pending = [input];
    while (pending.length) {
      throwIfAborted(signal);
      const dir = pending.pop()!;
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === '.git') report(`${full}${path.sep}`);
          else pending.push(full);
        } else if (entry.isFile() && (await isSensitiveFile(full))) report(full);
      }
    }
  }
  return { files: found.sort(), more };
}

export async function assertNoSensitiveFiles(inputs: string[], signal?: AbortSignal): Promise<void> {
  const { files, more } = await findSensitiveFiles(inputs, signal);
  if (files.length) throw new SensitiveFilesError(files, more);
}

async function isSensitiveFile(file: string): Promise<boolean> {
  const name = path.basename(file);
  if (SECRET_NAMES.has(name.toLowerCase()) || ENV_FILE.test(name) || KEY_STORE.test(name)) return true;
  if (!MAYBE_KEY.test(name)) return false;
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return PRIVATE_KEY_MARK.test(head.subarray(0, bytesRead).toString('latin1'));
  } finally {
    await handle.close();
  }
}
