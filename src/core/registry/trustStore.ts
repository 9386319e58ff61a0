// Which certificates a registry's TLS is checked against, beyond Node's bundled roots: the operating system's CA
// bundle (a corporate TLS-inspecting proxy or an internal CA is installed there, and Node 20 does not read it),
// NODE_EXTRA_CA_CERTS (Node adds it to its defaults, but an explicit `ca` list replaces those), docker's
// per-registry folder `certs.d/<host>/` (CA files `*.crt`, and `client.cert` + `client.key` for mutual TLS,
// as docker and regctl read them), and the registry's own configured CA file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OciError } from '../oci';
import { PEM_CERTIFICATE, tlsMaterialProblem, type TlsFileRole } from './tlsMaterial';
import { readTrustFile } from './trustFile';

/** Node's bundled roots; node:tls is loaded when asked (it costs every CLI start ~2 ms, plain HTTP needs none). */
const nodeRootCertificates = (): readonly string[] =>
  (require('node:tls') as typeof import('node:tls')).rootCertificates;

/** Where distributions keep the system bundle (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/macOS). */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/** docker's per-registry certificate folders: the user's (rootless docker) first, then the system's. */
export function defaultDockerCertsDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? os.homedir();
  return [path.join(home, '.docker', 'certs.d'), '/etc/docker/certs.d'];
}

export interface TrustOptions {
  /** certs.d folders to look in (default: defaultDockerCertsDirs()). */
  dockerCertsDirs?: string[];
  /** Where SSL_CERT_FILE, SSL_CERT_DIR and NODE_EXTRA_CA_CERTS are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * The text of configured files the caller read already, by path as configured: the CLI reads each file its flags
   * name once (a pipe's bytes are there once, and the same pipe may serve both sides of a copy).
   */
  trustFiles?: ReadonlyMap<string, string>;
}

export interface RegistryTls {
  /** The full list of trusted CAs, or undefined for Node's defaults (nothing beyond them was found). */
  ca?: string[];
  /** A client certificate and key from certs.d, for registries that ask for one. */
  cert?: string;
  key?: string;
}

const cache = new Map<string, string[]>();

/** The operating system's CAs and NODE_EXTRA_CA_CERTS, read once per process. */
export function systemCertificates(env: NodeJS.ProcessEnv = process.env): string[] {
  const key = [env.SSL_CERT_FILE, env.SSL_CERT_DIR, env.NODE_EXTRA_CA_CERTS].join('\0');
  let found = cache.get(key);
  if (!found) {
    found = [];
    const bundle = env.SSL_CERT_FILE ?? SYSTEM_BUNDLES.find((file) => fs.existsSync(file));
    if (bundle) found.push(...readOptional(bundle));
    if (env.SSL_CERT_DIR) {
      for (const dir of env.SSL_CERT_DIR.split(path.delimiter).filter(Boolean)) found.push(...readPemFolder(dir));
    }
    if (env.NODE_EXTRA_CA_CERTS) found.push(...readOptional(env.NODE_EXTRA_CA_CERTS));
    found = notInNodeRoots(found);
    cache.set(key, found);
  }
  return found;
}

/** A client certificate and key named by the registry's own settings (ORAS's --cert-file and --key-file). */
export interface ClientCertificateFiles {
  certFile: string;
  keyFile: string;
}

/**
 * The TLS trust for `host` (as written, with its port), with `caFile` (the registry's own setting) if any, and the
 * client certificate: `client` when given, else one in certs.d.
 */
export function registryTls(
  host: string,
  caFile: string | undefined,
  options: TrustOptions = {},
  client?: ClientCertificateFiles,
): RegistryTls {
  const extra = [...systemCertificates(options.env)];
  const result: RegistryTls = {};
  const read = (file: string, role: TlsFileRole, what: string) =>
    readTlsFile(file, role, `${what} ${host}`, options.trustFiles);
  if (client) {
    result.cert = read(client.certFile, 'certificate', 'the client certificate for');
    result.key = read(client.keyFile, 'key', 'the client key for');
  }
  for (const dir of options.dockerCertsDirs ?? defaultDockerCertsDirs(options.env)) {
    const folder = path.join(dir, host);
    if (!isFolder(folder)) continue;
    extra.push(...readPemFolder(folder, (name) => name.endsWith('.crt')));
    const cert = path.join(folder, 'client.cert');
    const key = path.join(folder, 'client.key');
    if (!result.cert && fs.existsSync(cert) && fs.existsSync(key)) {
      result.cert = read(cert, 'certificate', 'the client certificate for');
      result.key = read(key, 'key', 'the client key for');
    }
  }
  if (caFile) extra.push(read(caFile, 'ca', 'the CA file configured for'));
  // Giving `ca` replaces Node's roots, so they are listed too: everything found is trusted in addition.
  if (extra.length) result.ca = [...nodeRootCertificates(), ...extra];
  return result;
}

/**
 * The certificates of `bundles` that Node does not already trust: a system bundle mostly repeats Node's roots,
 * and every certificate in a `ca` list is parsed again for each TLS connection.
 */
function notInNodeRoots(bundles: string[]): string[] {
  const normal = (pem: string) => pem.replace(/\s+/g, '');
  const known = new Set(nodeRootCertificates().map(normal));
  const extra = new Set<string>();
  for (const bundle of bundles)
    for (const pem of bundle.match(PEM_CERTIFICATE) ?? []) if (!known.has(normal(pem))) extra.add(pem);
  return [...extra];
}

function isFolder(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A CA bundle the user may or may not have: one that is not there, or not readable, is not an error (there is
 * nothing extra to trust), but a device or pipe under that name is refused, not read for ever.
 */
function readOptional(file: string): string[] {
  try {
    return [readTrustFile(file, `the CA bundle ${file}`).toString('utf8')];
  } catch (err) {
    const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR') return [];
    throw err;
  }
}

/**
 * A CA file, client certificate or key as TLS needs it: anything else (a key given as the certificate, a DER file,
 * the wrong file) would be trusted as nothing or refused by OpenSSL at the handshake, hiding the real mistake.
 */
function readTlsFile(
  file: string,
  role: TlsFileRole,
  what: string,
  trustFiles: ReadonlyMap<string, string> | undefined,
): string {
  const named = `${what} (${file})`;
  const text = trustFiles?.get(file) ?? readTrustFile(file, named).toString('utf8');
  const problem = tlsMaterialProblem(role, text);
  if (problem) throw new OciError('USAGE', `${named}: ${problem}`);
  return text;
}

function readPemFolder(dir: string, accept: (name: string) => boolean = (name) => /\.(pem|crt)$/.test(name)): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(accept).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => readOptional(path.join(dir, name)));
}
