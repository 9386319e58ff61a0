// Files that often hold secrets and rarely belong in a published artifact: a `.git` folder (tokens in
// .git/config, the whole history), `.env` files, package-manager, cloud and cluster credentials, SSH and other
// private keys. Pushing a folder takes everything in it, so `stowage push . ` in a project would publish them.
// packFiles refuses them unless the caller allows them (the CLI's --allow-sensitive-files, the editor's modal).
// A private key is found by what it holds too: `ssh-keygen -f deploy_key` names it as the user likes.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { OciError, printable, throwIfAborted } from '../oci';
import { fileVersion, fileVersionNow } from '../content';

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
/** Credentials by the folder they are kept in: `.aws/credentials`, `.docker/config.json`, `.kube/config`. */
const SECRET_PLACES = new Set(['.aws/credentials', '.docker/config.json', '.kube/config']);
/** `.env`, `.env.local`, `.env.production`… but not the templates people commit on purpose. */
const ENV_FILE = /^\.env(\.(?!(example|sample|template|dist|defaults)$)[^/]+)?$/i;
/** Key stores: secret whatever they hold. */
const KEY_STORE = /\.(p12|pfx|jks|keystore|ppk)$/i;
/**
 * PEM-ish files are secrets only when they hold a private key (certificates are public); a `.crt` bundle made with
 * `cat cert.pem key.pem` holds one after its certificates.
 */
const MAYBE_KEY = /\.(pem|key|crt|cer|cert)$/i;
const PRIVATE_KEY_MARK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
/** Read of a .pem/.key/.crt file: a bundle may hold certificates before its key. */
const HEAD_BYTES = 64 * 1024;
/** Read of any other file: a key file starts with its mark, after at most a few lines (openssl's Bag Attributes). */
const ANY_FILE_HEAD_BYTES = 1024;
/** Files whose heads are read at once (a folder of thousands of files). */
const HEADS_AT_ONCE = 16;
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
 * What one look found clean: each file whose head was read and held no private key, by path, with the identity it
 * had when read. A caller that checked before asking (the CLI, the editor's question) hands it to packFiles, whose
 * own check (the safety net for callers that did not) then reads again only the files that changed since.
 */
export interface SensitiveFilesCheck {
  readonly clean: ReadonlyMap<string, string>;
}

/**
 * The sensitive files among `inputs` (files and folders as given to packFiles), named by the path the user
 * gave joined with the path inside it (a `.git` folder ends in "/" and is not walked). Symlinks inside a folder are
 * not followed (packFiles refuses those leading out of it); one given by the user is judged by what it points to too,
 * and a folder given by the user by where it really is: `.` in ~/.aws, or a link `cfg` to it, still holds
 * `.aws/credentials`. Names are judged every time; a file's head is read unless `before` found that very file
 * clean (same path and identity). Returns what this look found clean as `checked`.
 */
export async function findSensitiveFiles(
  inputs: string[],
  signal?: AbortSignal,
  before?: SensitiveFilesCheck,
): Promise<{ files: string[]; more: number; checked: SensitiveFilesCheck }> {
  const found: string[] = [];
  const clean = new Map<string, string>();
  /** Files to judge: `file` as named to the user, `real` where it is (its names are judged too). */
  const files: { file: string; real: string }[] = [];
  for (const input of inputs) {
    const stats = await fs.stat(input).catch(() => undefined);
    if (!stats) continue; // packFiles names what is missing
    // A symlink given by the user is pushed as what it points to: `notes.txt` → `~/.ssh/id_ed25519` is a key.
    const real = await fs.realpath(input).catch(() => path.resolve(input));
    if (stats.isFile()) {
      files.push({ file: input, real });
      continue;
    }
    if (!stats.isDirectory()) continue;
    if (path.basename(path.resolve(input)) === '.git' || path.basename(real) === '.git') {
      found.push(`${input}/`);
      continue;
    }
    const pending = [input];
    while (pending.length) {
      throwIfAborted(signal);
      const dir = pending.pop()!;
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === '.git') found.push(`${full}${path.sep}`);
          else pending.push(full);
        } else if (entry.isFile()) files.push({ file: full, real: path.join(real, path.relative(input, full)) });
      }
    }
  }
  let next = 0;
  const check = async () => {
    while (next < files.length) {
      throwIfAborted(signal);
      const { file, real } = files[next++]!;
      if (isSecretByName(file) || isSecretByName(real)) found.push(file);
      else if (before?.clean.get(file) === (await fileVersionNow(file))) clean.set(file, before!.clean.get(file)!);
      else {
        const head = await readHead(
          file,
          MAYBE_KEY.test(file) || MAYBE_KEY.test(real) ? HEAD_BYTES : ANY_FILE_HEAD_BYTES,
        );
        if (PRIVATE_KEY_MARK.test(head.text)) found.push(file);
        else if (head.identity) clean.set(file, head.identity);
      }
    }
  };
  await Promise.all(Array.from({ length: HEADS_AT_ONCE }, check));
  found.sort();
  return { files: found.slice(0, MAX_LISTED), more: Math.max(0, found.length - MAX_LISTED), checked: { clean } };
}

/** Throws SensitiveFilesError naming what `inputs` hold; `before`: a check made just before (findSensitiveFiles). */
export async function assertNoSensitiveFiles(
  inputs: string[],
  signal?: AbortSignal,
  before?: SensitiveFilesCheck,
): Promise<void> {
  const { files, more } = await findSensitiveFiles(inputs, signal, before);
  if (files.length) throw new SensitiveFilesError(files, more);
}

function isSecretByName(file: string): boolean {
  const name = path.basename(file);
  const place = `${path.basename(path.dirname(file))}/${name}`;
  return (
    SECRET_NAMES.has(name.toLowerCase()) || SECRET_PLACES.has(place) || ENV_FILE.test(name) || KEY_STORE.test(name)
  );
}

/**
 * The first `bytes` of `file` as latin1 text ('' when it cannot be read: packFiles names that), and the identity
 * of the file read.
 */
async function readHead(file: string, bytes: number): Promise<{ text: string; identity?: string }> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return { text: '' };
  try {
    const identity = fileVersion(await handle.stat({ bigint: true }));
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return { text: head.subarray(0, bytesRead).toString('latin1'), identity };
  } finally {
    await handle.close();
  }
}
