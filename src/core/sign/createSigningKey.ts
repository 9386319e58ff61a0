// Makes a key pair and a code-signing certificate for it. Node can create keys but has no X.509 builder, and a
// hand-written DER encoder would be more security-relevant code to own; openssl (always installed on the
// platforms Stowage supports for signing) builds the certificate from our key with an explicit config, so
// nothing depends on the system openssl.cnf defaults (which would add CA:TRUE). Issuing from a CA uses
// `req -x509 -CA`, which needs OpenSSL 3.0 or later.
import { execFile } from 'node:child_process';
import { generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciError } from '../oci';
import { findExecutableOnPath } from '../content';
import { parseCertificateChain, parsePrivateKey } from './certificates';

export type SigningKeyAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-pss-2048' | 'rsa-pss-3072';

export interface CreateSigningKeyOptions {
  algorithm: SigningKeyAlgorithm;
  /** A distinguished name such as `CN=example.com,O=Example`, or a bare common name. */
  subject: string;
  validDays: number;
  /** Issue the certificate from this CA instead of self-signing (PEM key and PEM chain, CA certificate first). */
  issuer?: { privateKeyPem: string; certChainPem: string };
  /** The openssl executable (default `openssl` from PATH's absolute folders). */
  openssl?: string;
}

export interface SigningKey {
  privateKeyPem: string;
  /** The new certificate alone. */
  certificatePem: string;
  /** The new certificate followed by the issuer's chain (the same as `certificatePem` when self-signed). */
  certChainPem: string;
}

const HASH_FOR: Record<SigningKeyAlgorithm, string> = {
  'ecdsa-p256': 'sha256',
  'ecdsa-p384': 'sha384',
  'rsa-pss-2048': 'sha256',
  'rsa-pss-3072': 'sha384',
};

// Leaf requirements of the Notary spec: keyUsage critical with digitalSignature only, CA:false, EKU codeSigning.
const LEAF_CONFIG = `[req]
distinguished_name = dn
x509_extensions = leaf
prompt = no
[dn]
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

export async function createSigningKey(options: CreateSigningKeyOptions): Promise<SigningKey> {
  const { algorithm, validDays } = options;
  if (!(algorithm in HASH_FOR)) throw new OciError('USAGE', `unknown signing key algorithm "${String(algorithm)}"`);
  if (!Number.isInteger(validDays) || validDays < 1)
    throw new OciError('USAGE', `validDays must be a whole number of days ≥ 1, not ${validDays}`);
  const subject = opensslSubject(options.subject);
  // Found on PATH's absolute folders only: never an openssl planted in the current folder (executableOnPath.ts).
  const openssl = options.openssl ?? (await findExecutableOnPath('openssl'));
  if (!openssl)
    throw new OciError('UNSUPPORTED', 'creating a certificate needs the openssl command, which was not found on PATH');
  const privateKeyPem = await generatePrivateKeyPem(algorithm);

  const dir = await mkdtemp(join(tmpdir(), 'stowage-sign-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const configFile = join(dir, 'openssl.cnf');
    const certFile = join(dir, 'cert.pem');
    await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
    await writeFile(configFile, LEAF_CONFIG);
    const args = [
      'req',
      '-new',
      '-x509',
      '-config',
      configFile,
      '-key',
      keyFile,
      '-subj',
      subject,
      '-days',
      String(validDays),
      `-${HASH_FOR[algorithm]}`,
      '-set_serial',
      randomSerial(),
      '-out',
      certFile,
    ];
    let issuerChain = '';
    if (options.issuer) {
      const issuerCerts = parseCertificateChain(options.issuer.certChainPem, 'issuer certificate chain');
      parsePrivateKey(options.issuer.privateKeyPem, 'issuer private key');
      const caFile = join(dir, 'ca.pem');
      const caKeyFile = join(dir, 'ca-key.pem');
      await writeFile(caFile, issuerCerts[0]!.toString());
      await writeFile(caKeyFile, options.issuer.privateKeyPem, { mode: 0o600 });
      args.push('-CA', caFile, '-CAkey', caKeyFile);
      issuerChain = issuerCerts.map((cert) => cert.toString()).join('');
    }
    await runOpenssl(openssl, args);
    const certificatePem = parseCertificateChain(await readFile(certFile, 'utf8'), 'new certificate')[0]!.toString();
    return { privateKeyPem, certificatePem, certChainPem: certificatePem + issuerChain };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const generateKeyPairAsync = promisify(generateKeyPair);

// Asynchronous: an RSA-3072 key takes a second or more, which must not freeze the editor's extension host.
async function generatePrivateKeyPem(algorithm: SigningKeyAlgorithm): Promise<string> {
  const { privateKey }: { privateKey: KeyObject } = algorithm.startsWith('ecdsa')
    ? await generateKeyPairAsync('ec', { namedCurve: algorithm === 'ecdsa-p256' ? 'P-256' : 'P-384' })
    : // A plain RSA key: the Notary spec signs with RSASSA-PSS, chosen at signing time from the key size.
      await generateKeyPairAsync('rsa', { modulusLength: algorithm === 'rsa-pss-2048' ? 2048 : 3072 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** `CN=a,O=b` (or a bare common name) → openssl's `/CN=a/O=b`, escaping the separators openssl would split on. */
export function opensslSubject(subject: string): string {
  const trimmed = subject.trim();
  if (!trimmed) throw new OciError('USAGE', 'the certificate subject is empty');
  const pairs = trimmed.includes('=') ? trimmed.split(/(?<!\\),/).map((part) => part.trim()) : [`CN=${trimmed}`];
  return pairs
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair
        .slice(eq + 1)
        .trim()
        .replace(/\\,/g, ',');
      if (eq < 1 || !/^[A-Za-z][A-Za-z0-9.]*$/.test(name) || !value) {
        throw new OciError('USAGE', `certificate subject "${subject}": "${pair}" is not NAME=value`);
      }
      return `/${name}=${value.replace(/[\\/]/g, (c) => `\\${c}`)}`;
    })
    .join('');
}

/** A positive 127-bit serial: unique without coordination, as RFC 5280 asks of a CA. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return `0x${bytes.toString('hex')}`;
}

function runOpenssl(openssl: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(openssl, args, { timeout: 60_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new OciError(
          missing ? 'UNSUPPORTED' : 'INVALID_CONTENT',
          missing
            ? `creating a certificate needs the openssl command, which was not found ("${openssl}")`
            : `openssl could not create the certificate: ${String(stderr).trim().split('\n').slice(-3).join(' ')}`,
          { cause: err },
        ),
      );
    });
  });
}
