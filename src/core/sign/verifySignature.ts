// Verifies a Notary JWS envelope against the artifact it claims to sign and a set of trusted certificates.
import { X509Certificate } from 'node:crypto';
import type { Descriptor } from '../descriptor';
import { algorithmForKey, algorithmProblem, verifyJws, type JwsAlgorithm } from './algorithms';
import { certificateChainReasons } from './certificateChecks';
import { fromX5c, parseCertificateChain } from './certificates';
import {
  fromBase64url, NOTARY_PAYLOAD_TYPE, NotaryHeader, parseRfc3339, SIGNING_SCHEME_SIGNING_AUTHORITY, SIGNING_SCHEME_X509,
} from './notary';

export interface VerifyOptions {
  /** PEM certificates (each may be a bundle) that anchor trust; the chain must contain one of them. */
  trustedCerts: readonly string[];
  /** The verification time (default: now). */
  now?: Date;
}

export interface VerificationResult {
  ok: boolean;
  /** Everything that failed, each naming what and why; empty when ok. */
  reasons: string[];
  signingTime?: Date;
  expiry?: Date;
  /** The leaf certificate's subject. */
  signer?: string;
  algorithm?: string;
}

const ENVELOPE_MEMBERS = ['header', 'payload', 'protected', 'signature'];
// Critical headers this verifier understands; any other in `crit` must fail verification (spec: extended attributes).
const UNDERSTOOD_CRITICAL = new Set<string>([NotaryHeader.signingScheme, NotaryHeader.expiry]);
const REGISTERED_HEADERS = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);

type Json = Record<string, unknown>;

function parseJsonObject(bytes: Buffer | undefined): Json | undefined {
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function fail(reasons: string[], partial: Omit<VerificationResult, 'ok' | 'reasons'> = {}): VerificationResult {
  return { ok: false, reasons, ...partial };
}

export function verifySignature(envelopeBytes: Buffer, subject: Descriptor, options: VerifyOptions): VerificationResult {
  const envelope = parseJsonObject(envelopeBytes);
  if (!envelope) return fail(['the envelope is not a JSON object (flattened JWS JSON serialization expected)']);
  const members = Object.keys(envelope);
  const unexpected = members.filter((member) => !ENVELOPE_MEMBERS.includes(member));
  const missing = ENVELOPE_MEMBERS.filter((member) => !members.includes(member));
  if (missing.length || unexpected.length) {
    return fail([`the envelope must have exactly ${ENVELOPE_MEMBERS.join(', ')}` +
      (missing.length ? `; missing ${missing.join(', ')}` : '') + (unexpected.length ? `; unexpected ${unexpected.join(', ')}` : '')]);
  }
  const { payload, protected: protectedPart, header, signature } = envelope;
  if (typeof payload !== 'string' || typeof protectedPart !== 'string' || typeof signature !== 'string') {
    return fail(['payload, protected and signature must be base64url strings']);
  }
  const protectedHeader = parseJsonObject(fromBase64url(protectedPart));
  if (!protectedHeader) return fail(['the protected header is not base64url-encoded JSON']);
  const signatureBytes = fromBase64url(signature);
  if (!signatureBytes) return fail(['the signature is not base64url']);
  if (!header || typeof header !== 'object' || Array.isArray(header)) return fail(['the unprotected header is missing']);
  const x5c = fromX5c((header as Json).x5c);
  if ('problem' in x5c) return fail([x5c.problem]);
  const chain = x5c.chain;
  const leaf = chain[0]!;
  const signer = leaf.subject.replace(/\n/g, ', ');

  const reasons: string[] = [];
  const headers = protectedHeaderChecks(protectedHeader);
  reasons.push(...headers.reasons);
  const { signingTime, expiry } = headers;
  const alg = protectedHeader.alg;
  const result = { signingTime, expiry, signer, algorithm: typeof alg === 'string' ? alg : undefined };

  // The leaf's key decides the algorithm; a header that says otherwise is an algorithm substitution.
  const expected = algorithmForKey(leaf.publicKey);
  const algProblem = algorithmProblem(alg);
  if (algProblem) return fail([...reasons, algProblem], result);
  if ('problem' in expected) return fail([...reasons, `signing certificate: ${expected.problem}`], result);
  if (alg !== expected.algorithm) {
    return fail([...reasons, `"alg" ${String(alg)} does not match the signing certificate's key, which requires ${expected.algorithm}`], result);
  }
  const signingInput = Buffer.from(`${protectedPart}.${payload}`, 'ascii');
  if (!verifyJws(alg as JwsAlgorithm, leaf.publicKey, signingInput, signatureBytes)) {
    // Nothing signed is trusted after this, so the payload is not looked at.
    return fail([...reasons, 'the signature does not verify with the signing certificate\'s key (the protected header, payload or signature was altered)'], result);
  }

  reasons.push(...payloadReasons(fromBase64url(payload), subject));
  let trusted: X509Certificate[] = [];
  try {
    trusted = options.trustedCerts.flatMap((pem, i) => parseCertificateChain(pem, `trusted certificate ${i + 1}`));
  } catch (err) {
    reasons.push((err as Error).message);
  }
  if (!options.trustedCerts.length) reasons.push('no trusted certificates were given');
  const now = options.now ?? new Date();
  reasons.push(...certificateChainReasons(chain, { trusted, signingTime: signingTime ?? now, now }));
  if (expiry && now.getTime() >= expiry.getTime()) reasons.push(`the signature expired at ${expiry.toISOString()}`);
  return { ok: reasons.length === 0, reasons, ...result };
}

function protectedHeaderChecks(header: Json): { reasons: string[]; signingTime?: Date; expiry?: Date } {
  const reasons: string[] = [];
  if (header.cty !== NOTARY_PAYLOAD_TYPE) reasons.push(`"cty" must be ${NOTARY_PAYLOAD_TYPE}, not ${JSON.stringify(header.cty)}`);
  const scheme = header[NotaryHeader.signingScheme];
  if (scheme === SIGNING_SCHEME_SIGNING_AUTHORITY) {
    reasons.push(`signing scheme ${scheme} needs an authentic timestamp, which Stowage does not verify yet`);
  } else if (scheme !== SIGNING_SCHEME_X509) {
    reasons.push(`"${NotaryHeader.signingScheme}" must be ${SIGNING_SCHEME_X509}, not ${JSON.stringify(scheme)}`);
  }
  const signingTime = parseRfc3339(header[NotaryHeader.signingTime]);
  if (!signingTime) reasons.push(`"${NotaryHeader.signingTime}" is missing or not an RFC 3339 time`);
  const hasExpiry = NotaryHeader.expiry in header;
  const expiry = parseRfc3339(header[NotaryHeader.expiry]);
  if (hasExpiry && !expiry) reasons.push(`"${NotaryHeader.expiry}" is not an RFC 3339 time`);

  const crit = header.crit;
  if (!Array.isArray(crit) || !crit.length || !crit.every((entry) => typeof entry === 'string')) {
    reasons.push('"crit" must be a non-empty array of header names');
  } else {
    if (!crit.includes(NotaryHeader.signingScheme)) reasons.push(`"crit" must list ${NotaryHeader.signingScheme}`);
    if (hasExpiry && !crit.includes(NotaryHeader.expiry)) reasons.push(`"crit" must list ${NotaryHeader.expiry} since it is present`);
    for (const name of crit as string[]) {
      if (REGISTERED_HEADERS.has(name)) reasons.push(`"crit" must not list the registered header ${name}`);
      else if (!(name in header)) reasons.push(`"crit" lists ${name}, which is not in the protected header`);
      else if (!UNDERSTOOD_CRITICAL.has(name)) reasons.push(`critical header ${name} is not understood by Stowage`);
    }
  }
  return { reasons, signingTime, expiry };
}

function payloadReasons(bytes: Buffer | undefined, subject: Descriptor): string[] {
  const payload = parseJsonObject(bytes);
  const target = payload?.targetArtifact as Json | undefined;
  if (!target || typeof target !== 'object') return ['the payload is not a Notary payload with a targetArtifact'];
  const reasons: string[] = [];
  for (const field of ['mediaType', 'digest', 'size'] as const) {
    if (target[field] !== subject[field]) {
      reasons.push(`the signed ${field} ${JSON.stringify(target[field])} does not match the artifact's ${JSON.stringify(subject[field])}`);
    }
  }
  return reasons;
}
