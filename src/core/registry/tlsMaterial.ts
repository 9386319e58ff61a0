// What a CA, client certificate or client key file must hold for TLS to use it, checked on its text: the wrong file
// (a key given as the certificate, a DER file, an encrypted key) otherwise shows only as OpenSSL's words at the first
// connection ("cannot reach host (PEM_NO_START_LINE)"), naming neither the file nor what was in it. Problems name
// only the PEM block labels found, never the content: a key's bytes are secret.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export type TlsFileRole = 'ca' | 'certificate' | 'key';

/**
 * A PEM certificate block. Its body holds no "-" (base64 and line breaks), so a match stops at the next marker: a
 * lazy "anything" up to the end marker made a file of many begin markers and no end (8 MiB) take minutes.
 */
export const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** An encrypted key: PKCS#8's own label, or a legacy PEM key whose header line says so (right after its marker). */
const ENCRYPTED_KEY = /-----BEGIN (?:ENCRYPTED PRIVATE KEY-----|[A-Z]+ PRIVATE KEY-----\r?\nProc-Type: *4, *ENCRYPTED)/;

/** What is wrong with `text` as a file of `role`, in words that follow its name; undefined when TLS can use it. */
export function tlsMaterialProblem(role: TlsFileRole, text: string): string | undefined {
  if (role === 'key') return keyProblem(text);
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (!certificates.length) {
    const want = role === 'ca' ? 'a CA certificate' : 'a client certificate';
    return `holds ${foundInstead(text)}, not ${want} ("-----BEGIN CERTIFICATE-----")${derHint(text)}`;
  }
  // A CA file's certificates are all trusted; a client certificate file's first one is presented.
  for (const [index, pem] of (role === 'ca' ? certificates : certificates.slice(0, 1)).entries())
    if (!parsedCertificate(pem))
      return `holds a certificate block that does not parse${certificates.length > 1 ? ` (the ${ordinal(index + 1)})` : ''}`;
  return undefined;
}

/** False when `keyText` is not the private key of the first certificate in `certText` (true, or either unreadable). */
export function keyMatchesCertificate(certText: string, keyText: string): boolean {
  const pem = certText.match(PEM_CERTIFICATE)?.[0];
  const certificate = pem ? parsedCertificate(pem) : undefined;
  const key = privateKeyOf(keyText);
  return !certificate || !key || certificate.checkPrivateKey(key);
}

function keyProblem(text: string): string | undefined {
  try {
    createPrivateKey(text);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || ENCRYPTED_KEY.test(text))
      return 'holds an encrypted private key: TLS here takes it unencrypted (openssl pkey -in <file> -out <new file> asks for its passphrase once)';
    return `holds ${foundInstead(text)}, not a private key ("-----BEGIN PRIVATE KEY-----")${derHint(text)}`;
  }
}

function privateKeyOf(text: string): KeyObject | undefined {
  try {
    return createPrivateKey(text);
  } catch {
    return undefined;
  }
}

function parsedCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** "a PEM private key", "no PEM block": the labels of the blocks found (at most three), never their content. */
function foundInstead(text: string): string {
  const labels = [...new Set([...text.matchAll(/-----BEGIN ([A-Z0-9 ]{1,40})-----/g)].map((m) => m[1]!.toLowerCase()))];
  if (!labels.length) return isBinary(text) ? 'binary content, no PEM block' : 'no PEM block';
  return labels
    .slice(0, 3)
    .map((label) => `a PEM ${label}`)
    .join(' and ');
}

/** Binary content is most likely DER (Windows exports certificates as .cer): openssl converts it. */
function derHint(text: string): string {
  return isBinary(text)
    ? '; if it is DER, convert it with "openssl x509 -inform der" (or "openssl pkey -inform der")'
    : '';
}

function isBinary(text: string): boolean {
  return /[\0\uFFFD]/.test(text);
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}
