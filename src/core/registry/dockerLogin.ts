// `stowage login/logout` keep credentials where docker keeps them, so every tool shares one login: a
// credential helper when config.json names one for the host (credHelpers) or for all (credsStore), else an
// `auths` entry written atomically with owner-only permissions.
import { chmod, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { makeFolders } from '../content';
import { OciError } from '../oci';
import { authKeysFor, lookupHost, type AuthFile } from './authFile';
import { execCredentialHelper } from './credentialHelper';
import { dockerConfigFile, type Credentials } from './credentials';
import { isDockerHub } from './registryConfig';

export type LoginStore = { kind: 'helper'; helper: string } | { kind: 'file'; file: string };

/** The key docker uses for a host in `auths` and with helpers. */
export function dockerServerKey(host: string): string {
  return isDockerHub(host) ? 'https://index.docker.io/v1/' : host;
}

async function readConfig(file: string): Promise<AuthFile & Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    if ((err as NodeJS.ErrnoException).code === 'ELOOP')
      throw new OciError('USAGE', `${file} is a loop of symbolic links; point it at the real file`, { cause: err });
    throw new OciError(
      'USAGE',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  try {
    return JSON.parse(text) as AuthFile & Record<string, unknown>;
  } catch {
    // Never echo the file: it holds secrets.
    throw new OciError('USAGE', `${file} is not valid JSON; fix or move it before logging in`);
  }
}

const MAX_LINKS = 32;

/**
 * Where writing `file` must land: the end of its chain of symbolic links (relative targets resolved against the
 * link's folder; the last may not exist yet). Docker follows a symlinked config.json (people keep it in a
 * dotfiles repository), so replacing the link with a regular file would quietly fork the configuration.
 */
async function followLinks(file: string): Promise<string> {
  let current = file;
  for (let hop = 0; hop < MAX_LINKS; hop++) {
    let target: string;
    try {
      target = await readlink(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') return current; // not a link (or not there yet)
      throw new OciError('USAGE', `cannot read ${current}: ${code ?? (err as Error).message}`, { cause: err });
    }
    current = path.resolve(path.dirname(current), target);
  }
  throw new OciError('USAGE', `${file} is a chain of more than ${MAX_LINKS} symbolic links; point it at the real file`);
}

/** Replaces the config atomically, through a symlink when `file` is one (the temp file sits beside the target). */
async function writeConfig(file: string, config: object): Promise<void> {
  await makeFolders(path.dirname(file), 0o700);
  const target = await followLinks(file);
  await makeFolders(path.dirname(target), 0o700);
  const temp = `${target}.stowage-${process.pid}-${Date.now()}`;
  try {
    await writeFile(temp, `${JSON.stringify(config, null, '\t')}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function storeFor(config: AuthFile, host: string, file: string): LoginStore {
  const helper = lookupHost(config.credHelpers, host) ?? config.credsStore;
  return helper ? { kind: 'helper', helper } : { kind: 'file', file };
}

async function runHelper(
  helper: string,
  verb: 'store' | 'erase',
  input: string,
  env: NodeJS.ProcessEnv,
  namedIn: string,
): Promise<void> {
  const { error, stdout, stderr } = await execCredentialHelper(helper, verb, input, env, undefined, namedIn);
  if (!error) return;
  if (verb === 'erase' && /not found/i.test(`${stdout}${stderr}`)) return;
  throw new OciError('USAGE', `credential helper docker-credential-${helper} ${verb} failed`);
}

/** Saves credentials for `host` where docker would (or in `file`, docker-style); returns where they went. */
export async function saveDockerLogin(
  host: string,
  credentials: Credentials,
  env: NodeJS.ProcessEnv = process.env,
  file: string = dockerConfigFile(env),
): Promise<LoginStore> {
  const config = await readConfig(file);
  const store = storeFor(config, host, file);
  const key = dockerServerKey(host);
  if (store.kind === 'helper') {
    const secret = credentials.identityToken ?? credentials.password ?? '';
    const username = credentials.identityToken ? '<token>' : (credentials.username ?? '');
    await runHelper(
      store.helper,
      'store',
      JSON.stringify({ ServerURL: key, Username: username, Secret: secret }),
      env,
      file,
    );
    return store;
  }
  const auths = { ...config.auths };
  for (const other of authKeysFor(host)) delete auths[other];
  auths[key] = credentials.identityToken
    ? { identitytoken: credentials.identityToken }
    : { auth: Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64') };
  await writeConfig(file, { ...config, auths });
  return store;
}

/** Removes credentials for `host`; returns false when there were none in the file (helpers are asked to erase). */
export async function removeDockerLogin(
  host: string,
  env: NodeJS.ProcessEnv = process.env,
  file: string = dockerConfigFile(env),
): Promise<boolean> {
  const config = await readConfig(file);
  const store = storeFor(config, host, file);
  if (store.kind === 'helper') {
    await runHelper(store.helper, 'erase', dockerServerKey(host), env, file);
    return true;
  }
  const auths = { ...config.auths };
  const keys = authKeysFor(host).filter((k) => auths[k] !== undefined);
  if (!keys.length) return false;
  for (const key of keys) delete auths[key];
  await writeConfig(file, { ...config, auths });
  return true;
}
