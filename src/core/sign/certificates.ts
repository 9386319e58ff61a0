// Certificates and keys as files and as they travel in the envelope (x5c) and manifest (thumbprints).
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OciError } from '../oci';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle, in file order (for a chain: leaf first). */
export function parseCertificateChain(pem: string, what = 'certificate chain'): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (!blocks.length) throw new OciError('INVALID_CONTENT', `${what}: no PEM certificate found`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new OciError('INVALID_CONTENT', `${what}: certificate ${i + 1} is not a valid X.509 certificate`, {
        cause: err,
      });
    }
  });
}

/**
 * The certificates of a trust file, checked when it is read: a file that holds none (a private key, a public
 * key, a DER file) would otherwise only show up as every Notary signature "failing", blaming the signatures.
 */
export function parseTrustedCertificates(pem: string, name: string): X509Certificate[] {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) && !pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new OciError(
      'USAGE',
      `trusted certificate ${name}: this is a private key; give its certificate (the .crt.pem beside it)`,
    );
  return parseCertificateChain(pem, `trusted certificate ${name}`);
}

/** The PEM text of each trusted certificate file, read and checked (see parseTrustedCertificates). */
export async function loadTrustedCertificates(files: readonly string[], describe = (file: string) => file) {
  return Promise.all(
    files.map(async (file) => {
      const pem = await readFile(file, 'utf8');
      parseTrustedCertificates(pem, describe(file));
      return pem;
    }),
  );
}

/** A private key from PEM (or DER); encrypted PEM keys need their passphrase. */
export function parsePrivateKey(pem: string | Buffer, what = 'private key', passphrase?: string): KeyObject {
  try {
    const key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
    if (key.type !== 'private') throw new Error('not a private key');
    return key;
  } catch {
    // No cause: the parser's message may quote the input, and the input is a secret.
    const encrypted = /ENCRYPTED/.test(typeof pem === 'string' ? pem : pem.subarray(0, 64).toString('latin1'));
    throw new OciError(
      'INVALID_CONTENT',
      encrypted
        ? `${what}: the key is encrypted and ${passphrase === undefined ? 'no passphrase was given' : 'the passphrase does not open it'}`
        : `${what}: not a PEM (or DER) private key`,
    );
  }
}

export interface SigningIdentity {
  key: KeyObject;
  /** Leaf first, then intermediates, then the root. */
  certChain: X509Certificate[];
}

/** A private key and its certificate chain from PEM files; fails unless the key belongs to the first certificate. */
export async function loadSigningIdentity(
  keyFile: string,
  certChainFile: string,
  options: { passphrase?: string } = {},
): Promise<SigningIdentity> {
  return identityWithChain(await loadPrivateKey(keyFile, options), keyFile, certChainFile);
}

/** The private key in `keyFile` (PEM or DER, encrypted with `passphrase`): checked before anything else is asked. */
export async function loadPrivateKey(keyFile: string, options: { passphrase?: string } = {}): Promise<KeyObject> {
  return parsePrivateKey(await readFile(keyFile), `private key ${keyFile}`, options.passphrase);
}

/** `key` (read from `keyFile`) with the chain in `certChainFile`, whose first certificate must be the key's. */
export async function identityWithChain(
  key: KeyObject,
  keyFile: string,
  certChainFile: string,
): Promise<SigningIdentity> {
  const certChain = parseCertificateChain(await readFile(certChainFile, 'utf8'), `certificate chain ${certChainFile}`);
  if (!certChain[0]!.checkPrivateKey(key)) {
    throw new OciError(
      'USAGE',
      `the private key in ${keyFile} does not belong to the first certificate in ${certChainFile}`,
    );
  }
  return { key, certChain };
}

/** The lowercase hex SHA-256 of the DER certificate, as notation writes into `io.cncf.notary.x509chain.thumbprint#S256`. */
export function thumbprintOf(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** x5c entries are standard base64 (not base64url) of DER, per RFC 7515 4.1.6. */
export function toX5c(chain: readonly X509Certificate[]): string[] {
  return chain.map((cert) => cert.raw.toString('base64'));
}

export function fromX5c(x5c: unknown): { chain: X509Certificate[] } | { problem: string } {
  if (!Array.isArray(x5c) || x5c.length === 0)
    return { problem: 'the unprotected "x5c" header must be a non-empty array of certificates' };
  const chain: X509Certificate[] = [];
  for (const [i, entry] of x5c.entries()) {
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry))
      return { problem: `x5c[${i}] is not base64` };
    try {
      chain.push(new X509Certificate(Buffer.from(entry, 'base64')));
    } catch {
      return { problem: `x5c[${i}] is not a DER X.509 certificate` };
    }
  }
  return { chain };
}
