// Verifies a Notary JWS envelope against the artifact it claims to sign and a set of trusted certificates.
import type { X509Certificate } from 'node:crypto';
import { type Descriptor, parseJsonObject } from '../oci';
import { algorithmForKey, algorithmProblem, verifyJws, type JwsAlgorithm } from './algorithms';
import { certificateChainReasons } from './certificateChecks';
import { parseCertificateChain, thumbprintOf } from './certificates';
import { fromBase64url } from './notary';
import { parseEnvelope } from './parseEnvelope';
import { protectedHeaderChecks } from './protectedHeader';

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
  /**
   * The signature could not be checked at all (keyless cosign, no trust material given): neither verified nor
   * evidence of tampering. `ok` is false and `reasons` says what is missing.
   */
  unverifiable?: boolean;
  signingTime?: Date;
  expiry?: Date;
  /** The leaf certificate's subject. */
  signer?: string;
  /** Of an envelope with several signatures, the one that verified (1-based) and how many it carries (anySignature). */
  envelopeSignature?: EnvelopeSignature;
  algorithm?: string;
  /** An attestation's predicate type, from its statement (signed or not: the verdict says which). */
  predicateType?: string;
  /** The certificates the envelope carries, leaf first, for display. */
  certificates?: CertificateSummary[];
  /**
   * Signatures of one envelope checked for this verdict (anySignature), when more than one: what a caller's budget
   * of verifications spends on it. Absent: one.
   */
  checks?: number;
}

export interface EnvelopeSignature {
  index: number;
  of: number;
}

/**
 * "signed by <signer>" as text shows it, after "signature 2 of 2 of its envelope, " when one of several signatures
 * verified, and "signed at <time> by <signer>" when the signature says when. Stowage's own words come before the
 * signer, where a certificate's name cannot reach: a subject reading "alice (signature 2 of 2)" or "alice at
 * 2020-01-01T00:00:00.000Z" after the signer looked like the position or a signing time (JSON keeps them apart).
 * `show` makes the signer, hostile text, safe for where it is shown.
 */
export function signedBy(
  signer: string | undefined,
  position: EnvelopeSignature | undefined,
  show: (text: string) => string = (text) => text,
  signingTime?: string,
): string {
  const where = position ? `signature ${position.index} of ${position.of} of its envelope, ` : '';
  return `${where}signed ${signingTime ? `at ${signingTime} ` : ''}by ${show(signer ?? 'unknown')}`;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** Lowercase hex SHA-256 of the DER, as in the manifest's thumbprint annotation. */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
}

function summarize(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    thumbprint: thumbprintOf(cert),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

function oneLine(name: string): string {
  return name.replace(/\n/g, ', ');
}

function fail(reasons: string[], partial: Omit<VerificationResult, 'ok' | 'reasons'> = {}): VerificationResult {
  return { ok: false, reasons, ...partial };
}

export function verifySignature(
  envelopeBytes: Buffer,
  subject: Descriptor,
  options: VerifyOptions,
): VerificationResult {
  const parsed = parseEnvelope(envelopeBytes);
  if ('problem' in parsed) return fail([parsed.problem]);
  const { protectedPart, payloadPart: payload, protectedHeader, signature: signatureBytes, chain } = parsed;
  const leaf = chain[0]!;
  const signer = oneLine(leaf.subject);

  const reasons: string[] = [];
  const headers = protectedHeaderChecks(protectedHeader);
  reasons.push(...headers.reasons);
  const { signingTime, expiry } = headers;
  const alg = protectedHeader.alg;
  const result = {
    signingTime,
    expiry,
    signer,
    algorithm: typeof alg === 'string' ? alg : undefined,
    certificates: chain.map(summarize),
  };

  // The leaf's key decides the algorithm; a header that says otherwise is an algorithm substitution.
  const expected = algorithmForKey(leaf.publicKey);
  const algProblem = algorithmProblem(alg);
  if (algProblem) return fail([...reasons, algProblem], result);
  if ('problem' in expected) return fail([...reasons, `signing certificate: ${expected.problem}`], result);
  if (alg !== expected.algorithm) {
    return fail(
      [
        ...reasons,
        `"alg" ${String(alg)} does not match the signing certificate's key, which requires ${expected.algorithm}`,
      ],
      result,
    );
  }
  const signingInput = Buffer.from(`${protectedPart}.${payload}`, 'ascii');
  if (!verifyJws(alg as JwsAlgorithm, leaf.publicKey, signingInput, signatureBytes)) {
    // Nothing signed is trusted after this, so the payload is not looked at.
    return fail(
      [
        ...reasons,
        "the signature does not verify with the signing certificate's key (the protected header, payload or signature was altered)",
      ],
      result,
    );
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

function payloadReasons(bytes: Buffer | undefined, subject: Descriptor): string[] {
  const payload = parseJsonObject(bytes);
  const target = payload?.targetArtifact as Record<string, unknown> | undefined;
  if (!target || typeof target !== 'object') return ['the payload is not a Notary payload with a targetArtifact'];
  const reasons: string[] = [];
  for (const field of ['mediaType', 'digest', 'size'] as const) {
    if (target[field] !== subject[field]) {
      reasons.push(
        `the signed ${field} ${JSON.stringify(target[field])} does not match the artifact's ${JSON.stringify(subject[field])}`,
      );
    }
  }
  return reasons;
}
