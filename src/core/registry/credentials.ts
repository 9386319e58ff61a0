// Where credentials for a registry come from, in order: given explicitly → a provider (the editor plugs its
// SecretStorage in here) → docker config.json (`credHelpers`, `auths`, `credsStore`) → podman auth.json →
// anonymous. Every answer says its source so messages can tell the user which login was used.
import * as os from 'node:os';
import * as path from 'node:path';
import { throwIfAborted } from '../oci';
import { lookupHost, readAuthFile, type AuthFile, type AuthFileEntry } from './authFile';
import { runCredentialHelper } from './credentialHelper';
import { isDockerHub } from './registryConfig';

export interface Credentials {
  username?: string;
  password?: string;
  /** A refresh token (docker's `identitytoken`) exchanged at the token endpoint by POST. */
  identityToken?: string;
}

export type CredentialSource = 'explicit' | 'provider' | 'docker-config' | 'credential-helper' | 'podman' | 'anonymous';

const FROM: Record<CredentialSource, string> = {
  // copy's --from-/--to- flags are given credentials too: a refusal of --to-password must not read as one of -p.
  explicit:
    'the credentials given to the command (-u with -p or --password-stdin, or --identity-token; in a copy, their --from-/--to- forms)',
  provider: 'the credentials saved by Log In (SecretStorage)',
  'docker-config': "the credentials in docker's config.json",
  'credential-helper': "the credentials from docker's credential helper",
  podman: "the credentials in podman's auth.json",
  anonymous: 'anonymous access',
};

/** Which credentials, in words, for a message that says they were refused: so the user knows which to fix. */
export function credentialsFrom(source: CredentialSource): string {
  return FROM[source];
}

export interface ResolvedCredentials extends Credentials {
  source: CredentialSource;
}

/** Something that stores credentials per registry host (the editor's SecretStorage). */
export interface CredentialProvider {
  get(host: string, signal?: AbortSignal): Promise<Credentials | undefined>;
}

export interface CredentialChainOptions {
  /** Credentials given for this call (CLI flags, tests), per host. */
  explicit?: Record<string, Credentials>;
  provider?: CredentialProvider;
  /** Environment to read DOCKER_CONFIG, HOME, XDG_RUNTIME_DIR, XDG_CONFIG_HOME and REGISTRY_AUTH_FILE from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Skip docker and podman files (e.g. a sandboxed run). */
  ignoreToolConfig?: boolean;
  /**
   * Docker-style auth files to read, in order, instead of docker's config.json and podman's files (ORAS's
   * `--registry-config`): each one's credHelpers, auths and credsStore, as docker reads its own.
   */
  authFiles?: readonly string[];
}

export function isUsable(c: Credentials | undefined): c is Credentials {
  return !!c && (!!c.identityToken || (!!c.username && c.password !== undefined && c.password !== ''));
}

export function dockerConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/**
 * podman's (containers-auth.json(5)) auth files, in the order podman reads them: REGISTRY_AUTH_FILE when set,
 * else the primary file (Linux: $XDG_RUNTIME_DIR/containers/auth.json, or /run/containers/<uid>/auth.json
 * without XDG_RUNTIME_DIR; Windows and macOS: $HOME/.config/containers/auth.json), then
 * $XDG_CONFIG_HOME/containers/auth.json (default ~/.config). docker's own file is read before these.
 */
export function podmanAuthFiles(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  let primary: string;
  if (env.REGISTRY_AUTH_FILE) primary = env.REGISTRY_AUTH_FILE;
  else if (platform !== 'linux') primary = path.join(home, '.config', 'containers', 'auth.json');
  else if (env.XDG_RUNTIME_DIR) primary = path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json');
  else primary = path.join('/run', 'containers', String(process.getuid?.() ?? 0), 'auth.json');
  return [...new Set([primary, path.join(configHome, 'containers', 'auth.json')])];
}

/** The file podman writes a login to (the first it reads). */
export function podmanAuthFile(env: NodeJS.ProcessEnv = process.env): string {
  return podmanAuthFiles(env)[0]!;
}

function fromEntry(entry: AuthFileEntry | undefined): Credentials | undefined {
  if (!entry) return undefined;
  if (entry.identitytoken) return { identityToken: entry.identitytoken, username: entry.username };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

/** The server URL a credential helper is asked about: Docker Hub keeps its legacy key. */
function helperServerUrl(host: string): string {
  return isDockerHub(host) ? 'https://index.docker.io/v1/' : host;
}

export async function resolveCredentials(
  host: string,
  options: CredentialChainOptions = {},
  signal?: AbortSignal,
): Promise<ResolvedCredentials> {
  throwIfAborted(signal);
  const explicit = lookupHost(options.explicit, host);
  if (isUsable(explicit)) return { ...explicit, source: 'explicit' };

  const provided = await options.provider?.get(host, signal);
  if (isUsable(provided)) return { ...provided, source: 'provider' };

  if (!options.ignoreToolConfig) {
    const env = options.env ?? process.env;
    for (const file of options.authFiles ?? [dockerConfigFile(env)]) {
      const found = await fromDockerStyleFile(await readAuthFile(file), file, host, env, signal);
      if (found) return found;
    }
    if (options.authFiles) return { source: 'anonymous' };
    for (const podmanFile of podmanAuthFiles(env)) {
      const fromPodman = fromEntry(lookupHost((await readAuthFile(podmanFile))?.auths, host));
      if (isUsable(fromPodman)) return { ...fromPodman, source: 'podman' };
    }
  }
  return { source: 'anonymous' };
}

/** What one docker-style file holds for `host`, in docker's order: its helper for the host, `auths`, `credsStore`. */
async function fromDockerStyleFile(
  file: AuthFile | undefined,
  filePath: string,
  host: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<ResolvedCredentials | undefined> {
  const helper = lookupHost(file?.credHelpers, host);
  if (helper) {
    const found = await runCredentialHelper(helper, helperServerUrl(host), signal, env, filePath);
    if (isUsable(found)) return { ...found, source: 'credential-helper' };
  }
  const inFile = fromEntry(lookupHost(file?.auths, host));
  if (isUsable(inFile)) return { ...inFile, source: 'docker-config' };
  if (file?.credsStore) {
    const found = await runCredentialHelper(file.credsStore, helperServerUrl(host), signal, env, filePath);
    if (isUsable(found)) return { ...found, source: 'credential-helper' };
  }
  return undefined;
}
