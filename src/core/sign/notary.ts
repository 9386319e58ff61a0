// Names and values fixed by the Notary Project signature specification (JWS envelope, notary.x509 scheme).
import { STOWAGE_VERSION } from '../oci';

export const NotaryHeader = {
  signingScheme: 'io.cncf.notary.signingScheme',
  signingTime: 'io.cncf.notary.signingTime',
  authenticSigningTime: 'io.cncf.notary.authenticSigningTime',
  expiry: 'io.cncf.notary.expiry',
  signingAgent: 'io.cncf.notary.signingAgent',
  verificationPlugin: 'io.cncf.notary.verificationPlugin',
  verificationPluginMinVersion: 'io.cncf.notary.verificationPluginMinVersion',
} as const;

export const NOTARY_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json';
export const SIGNING_SCHEME_X509 = 'notary.x509';
export const SIGNING_SCHEME_SIGNING_AUTHORITY = 'notary.x509.signingAuthority';

/** What Stowage writes into the unprotected `io.cncf.notary.signingAgent` header. */
export const SIGNING_AGENT = `Stowage/${STOWAGE_VERSION}`;

/** The protected header of a Notary JWS envelope as Stowage writes it. */
export interface NotaryProtectedHeader {
  alg: string;
  cty: string;
  [NotaryHeader.signingScheme]: string;
  [NotaryHeader.signingTime]?: string;
  [NotaryHeader.expiry]?: string;
  crit: string[];
  [name: string]: unknown;
}

/** The flattened JWS JSON serialization; the Notary spec allows no other top-level members. */
export interface JwsEnvelope {
  payload: string;
  protected: string;
  header: { x5c: string[]; [NotaryHeader.signingAgent]?: string; [name: string]: unknown };
  signature: string;
}

export function base64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Strict base64url decoding: undefined unless `text` is canonical unpadded base64url. */
export function fromBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** RFC 3339 in UTC without fractional seconds (the spec says time-secfrac SHOULD NOT be used). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 date-time; undefined for anything else (including other formats Date.parse accepts). */
export function parseRfc3339(text: unknown): Date | undefined {
  if (typeof text !== 'string' || !RFC3339.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}
