// The rules for a Notary JWS protected header (notary.x509 scheme): content type, scheme, times and `crit`.
import {
  NOTARY_PAYLOAD_TYPE,
  NotaryHeader,
  parseRfc3339,
  SIGNING_SCHEME_SIGNING_AUTHORITY,
  SIGNING_SCHEME_X509,
} from './notary';

// Critical headers this verifier understands; any other in `crit` must fail verification (spec: extended attributes).
const UNDERSTOOD_CRITICAL = new Set<string>([NotaryHeader.signingScheme, NotaryHeader.expiry]);
const REGISTERED_HEADERS = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);

export interface ProtectedHeaderCheck {
  reasons: string[];
  signingTime?: Date;
  expiry?: Date;
}

/** Everything wrong with the protected header except `alg`, which is checked against the signing key. */
export function protectedHeaderChecks(header: Record<string, unknown>): ProtectedHeaderCheck {
  const reasons: string[] = [];
  if (header.cty !== NOTARY_PAYLOAD_TYPE)
    reasons.push(`"cty" must be ${NOTARY_PAYLOAD_TYPE}, not ${JSON.stringify(header.cty)}`);
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
    if (hasExpiry && !crit.includes(NotaryHeader.expiry))
      reasons.push(`"crit" must list ${NotaryHeader.expiry} since it is present`);
    for (const name of crit as string[]) {
      if (REGISTERED_HEADERS.has(name)) reasons.push(`"crit" must not list the registered header ${name}`);
      else if (!(name in header)) reasons.push(`"crit" lists ${name}, which is not in the protected header`);
      else if (!UNDERSTOOD_CRITICAL.has(name)) reasons.push(`critical header ${name} is not understood by Stowage`);
    }
  }
  return { reasons, signingTime, expiry };
}
