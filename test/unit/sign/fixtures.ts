// Shared material for the signing tests: keys made once per algorithm, a CA made with openssl directly (so the
// chain tests do not only trust Stowage's own certificate builder), and a subject descriptor.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigningKey, type SigningKey, type SigningKeyAlgorithm } from '../../../src/core/sign';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { MediaType } from '../../../src/core/oci/mediaTypes';

export const OPENSSL = '/usr/bin/openssl';

const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, layers: [] }));
export const SUBJECT: Descriptor = {
  mediaType: MediaType.ociManifest,
  digest: digestOf(manifestBytes),
  size: manifestBytes.length,
};

const keys = new Map<SigningKeyAlgorithm, Promise<SigningKey>>();

export function signingKey(algorithm: SigningKeyAlgorithm): Promise<SigningKey> {
  let key = keys.get(algorithm);
  if (!key) {
    key = createSigningKey({
      algorithm,
      subject: `CN=Stowage test ${algorithm},O=Stowage`,
      validDays: 30,
      openssl: OPENSSL,
    });
    keys.set(algorithm, key);
  }
  return key;
}

/** Runs openssl in a scratch directory holding `files`, returning the text of the files named in `read`. */
export function withOpenssl(files: Record<string, string>, args: string[], read: string[]): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-test-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    return Object.fromEntries(read.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const caConfig = (pathLen?: number) => `[req]
distinguished_name = dn
x509_extensions = ca
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE${pathLen === undefined ? '' : `,pathlen:${pathLen}`}
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

export interface TestCa {
  privateKeyPem: string;
  /** This CA's certificate followed by its issuers' (the form createSigningKey's `issuer` takes). */
  certChainPem: string;
}

/** A P-256 CA made by openssl alone: a self-signed root, or an intermediate when `issuer` is given. */
export function createCa(commonName: string, options: { issuer?: TestCa; pathLen?: number } = {}): TestCa {
  const files: Record<string, string> = { 'ca.cnf': caConfig(options.pathLen) };
  const args = [
    'req',
    '-new',
    '-x509',
    '-config',
    'ca.cnf',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
    '-subj',
    `/CN=${commonName}`,
    '-days',
    '30',
    '-sha256',
  ];
  if (options.issuer) {
    files['issuer.pem'] = options.issuer.certChainPem.split(/(?<=-----END CERTIFICATE-----)/)[0]!;
    files['issuer-key.pem'] = options.issuer.privateKeyPem;
    args.push('-CA', 'issuer.pem', '-CAkey', 'issuer-key.pem');
  }
  const out = withOpenssl(files, args, ['ca-key.pem', 'ca.pem']);
  return {
    privateKeyPem: out['ca-key.pem']!,
    certChainPem: out['ca.pem']!.trim() + '\n' + (options.issuer?.certChainPem ?? ''),
  };
}

export const createRootCa = (commonName: string): TestCa => createCa(commonName);

/** A self-signed P-256 certificate made by openssl alone with the extensions given (for rule violations). */
export function createCertificate(
  commonName: string,
  extensions: string,
  digest = 'sha256',
  curve = 'P-256',
): { privateKeyPem: string; certificatePem: string } {
  const config = `[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n[dn]\n[ext]\n${extensions}\n`;
  const out = withOpenssl(
    { 'c.cnf': config },
    [
      'req',
      '-new',
      '-x509',
      '-config',
      'c.cnf',
      '-newkey',
      'ec',
      '-pkeyopt',
      `ec_paramgen_curve:${curve}`,
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-subj',
      `/CN=${commonName}`,
      '-days',
      '30',
      `-${digest}`,
    ],
    ['key.pem', 'cert.pem'],
  );
  return { privateKeyPem: out['key.pem']!, certificatePem: out['cert.pem']! };
}
