// The Notary Project's certificate rules and chain validation against trusted certificates. Each function
// returns reasons (empty when fine) so verification can report everything that is wrong at once.
import type { X509Certificate } from 'node:crypto';
import {
  basicConstraintsOf,
  certificateDetails,
  KEY_USAGE_BITS,
  keyUsagesOf,
  Oid,
  type CertificateDetails,
  type KeyUsage,
} from './x509Extensions';

const EKU_FORBIDDEN_FOR_SIGNING: Record<string, string> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
};
/** A leaf may only sign (digitalSignature, and nonRepudiation with it): every other keyUsage bit is refused. */
const KEY_USAGES_FORBIDDEN_FOR_LEAF: readonly KeyUsage[] = KEY_USAGE_BITS.filter(
  (usage) => usage !== 'digitalSignature' && usage !== 'nonRepudiation',
);

function name(cert: X509Certificate, index: number): string {
  return `certificate ${index + 1} (${subjectWords(cert)})`;
}

/** Longest certificate name said in a reason: a signature's chain names itself, and a long name pushed the rest out. */
const MAX_SUBJECT_SHOWN = 200;

/**
 * A certificate's subject on one line, cut at MAX_SUBJECT_SHOWN characters: the signature carries it, and a
 * 1,000-character name filled an editor notification, cutting off the fingerprints after it.
 */
function subjectWords(cert: X509Certificate): string {
  const line = cert.subject.replace(/\n/g, ', ');
  // Never half of a surrogate pair at the cut.
  return line.length > MAX_SUBJECT_SHOWN
    ? `${line.slice(0, MAX_SUBJECT_SHOWN).replace(/[\uD800-\uDBFF]$/, '')}…`
    : line;
}

function details(cert: X509Certificate, label: string, reasons: string[]): CertificateDetails | undefined {
  try {
    return certificateDetails(cert.raw);
  } catch {
    reasons.push(`${label}: its DER encoding could not be read`);
    return undefined;
  }
}

function leafReasons(cert: X509Certificate, label: string): string[] {
  const reasons: string[] = [];
  if (cert.ca) reasons.push(`${label}: a signing certificate must not be a CA (basicConstraints CA:true)`);
  const parsed = details(cert, label, reasons);
  const keyUsage = parsed?.extensions.get(Oid.keyUsage);
  if (parsed && !keyUsage) reasons.push(`${label}: the keyUsage extension is missing (digitalSignature is required)`);
  if (keyUsage) {
    if (!keyUsage.critical) reasons.push(`${label}: the keyUsage extension must be critical`);
    const usages = keyUsagesOf(keyUsage);
    if (!usages.has('digitalSignature')) reasons.push(`${label}: keyUsage lacks digitalSignature`);
    const extra = KEY_USAGES_FORBIDDEN_FOR_LEAF.filter((usage) => usages.has(usage));
    if (extra.length) reasons.push(`${label}: keyUsage must not include ${extra.join(', ')}`);
  }
  // Node returns the extended key usages as OIDs (undefined when the extension is absent, which is allowed).
  const forbidden = (cert.keyUsage ?? [])
    .map((oid) => EKU_FORBIDDEN_FOR_SIGNING[oid])
    .filter((usage) => usage !== undefined);
  if (forbidden.length)
    reasons.push(`${label}: extendedKeyUsage must not include ${forbidden.join(', ')} for code signing`);
  return reasons;
}

/** `caBelow`: how many CA certificates sit between this one and the leaf (what pathLenConstraint limits). */
function caReasons(cert: X509Certificate, label: string, caBelow: number): string[] {
  const reasons: string[] = [];
  const parsed = details(cert, label, reasons);
  if (!parsed) return reasons;
  const basic = parsed.extensions.get(Oid.basicConstraints);
  if (!basic || !cert.ca) reasons.push(`${label}: an issuing certificate needs basicConstraints CA:true`);
  else {
    if (!basic.critical) reasons.push(`${label}: basicConstraints must be critical on a CA certificate`);
    const { pathLength } = basicConstraintsOf(basic);
    if (pathLength !== undefined && caBelow > pathLength) {
      reasons.push(
        `${label}: pathLenConstraint ${pathLength} allows fewer than the ${caBelow} CA certificates below it`,
      );
    }
  }
  const keyUsage = parsed.extensions.get(Oid.keyUsage);
  if (!keyUsage || !keyUsagesOf(keyUsage).has('keyCertSign'))
    reasons.push(`${label}: an issuing certificate needs keyUsage keyCertSign`);
  else if (!keyUsage.critical) reasons.push(`${label}: the keyUsage extension must be critical`);
  return reasons;
}

function commonReasons(cert: X509Certificate, label: string): string[] {
  const reasons: string[] = [];
  const parsed = details(cert, label, []);
  if (parsed?.signatureAlgorithm === Oid.sha1WithRsa || parsed?.signatureAlgorithm === Oid.ecdsaWithSha1) {
    reasons.push(`${label}: signed with SHA-1, which is not allowed`);
  }
  const key = cert.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType === 'rsa' && bits !== undefined && bits < 2048)
    reasons.push(`${label}: RSA key of ${bits} bits (at least 2048)`);
  return reasons;
}

function validityReasons(cert: X509Certificate, label: string, at: Date, when: string): string[] {
  const from = new Date(cert.validFrom),
    to = new Date(cert.validTo);
  if (at < from) return [`${label}: not yet valid at ${when} ${at.toISOString()} (valid from ${from.toISOString()})`];
  if (at > to) return [`${label}: expired before ${when} ${at.toISOString()} (valid until ${to.toISOString()})`];
  return [];
}

function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

export interface ChainCheckOptions {
  trusted: readonly X509Certificate[];
  signingTime: Date;
  now: Date;
}

/** Every reason the chain (leaf first) fails the Notary certificate rules or does not reach a trusted certificate. */
export function certificateChainReasons(chain: readonly X509Certificate[], options: ChainCheckOptions): string[] {
  const reasons: string[] = [];
  chain.forEach((cert, i) => {
    const label = name(cert, i);
    reasons.push(...commonReasons(cert, label));
    reasons.push(...(i === 0 ? leafReasons(cert, label) : caReasons(cert, label, i - 1)));
    reasons.push(...validityReasons(cert, label, options.signingTime, 'signing time'));
    // Without an authentic timestamp every certificate must also still be valid now.
    reasons.push(...validityReasons(cert, label, options.now, 'verification time'));
    const issuer = chain[i + 1];
    if (issuer && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) {
      reasons.push(`${label} is not issued by the next certificate in the chain, ${name(issuer, i + 1)}`);
    }
  });
  const root = chain[chain.length - 1]!;
  if (!isSelfSigned(root))
    reasons.push(`the chain does not end in a self-signed root certificate (last: ${name(root, chain.length - 1)})`);
  const trusted = chain.some((cert) => options.trusted.some((anchor) => anchor.raw.equals(cert.raw)));
  // Naming where the chain ends tells the user which certificate to trust (or that the signer is a stranger).
  if (!trusted)
    reasons.push(`${UNTRUSTED_CHAIN} (the chain ends in ${subjectWords(root)})${namesake(chain, options.trusted)}`);
  return reasons;
}

/**
 * When a trusted certificate has the subject of one in the chain, says that they differ and how: every key `stowage
 * key create` (and Create Signing Key…) makes is "CN=Stowage signer" unless told otherwise, so "the chain ends in
 * CN=Stowage signer" read as if the trusted key had signed. Short fingerprints tell the two apart, each said to be
 * whose it is: the name may be the signer's under a root of its own, or a trusted root's copied into another root.
 */
function namesake(chain: readonly X509Certificate[], trusted: readonly X509Certificate[]): string {
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i]!;
    const twins = trusted.filter((anchor) => anchor.subject === cert.subject);
    if (!twins.length) continue;
    // "That name" is the one the reason just gave, where the chain ends; another certificate is named here.
    const named = i === chain.length - 1 ? 'that name' : `the name of ${name(cert, i)}`;
    const whose = i === 0 ? "the signer's" : `certificate ${i + 1}'s`;
    const theirs = twins.map(shortFingerprint).join(', ');
    return twins.length === 1
      ? `; a trusted certificate has ${named} but is another one (SHA-256 ${theirs}, ${whose} ${shortFingerprint(cert)})`
      : `; ${twins.length} trusted certificates have ${named} but are others (SHA-256 ${theirs}; ${whose} ${shortFingerprint(cert)})`;
  }
  return '';
}

/** The first 8 bytes of the SHA-256 fingerprint, as openssl prints it: enough to tell two certificates apart. */
function shortFingerprint(cert: X509Certificate): string {
  return `${cert.fingerprint256.slice(0, 23)}…`;
}

const UNTRUSTED_CHAIN = 'no certificate of the chain is among the trusted certificates';

/** True when a verification failed for want of a trusted certificate: trusting one is the user's next step. */
export function wantsTrustedCertificate(reasons: readonly string[]): boolean {
  return reasons.some((reason) => reason.startsWith(UNTRUSTED_CHAIN));
}
