// Turns per-signature results into the badges the graph and the tree show: one entry per signature manifest
// (a cosign `.sig` manifest can hold several signatures), one per attestation manifest, and one for the artifact.
import type { AttestationVerification, SignatureVerification } from '../../core/supplyChain';
import type { VerificationStatus } from '../../protocol/messages';
import type { VerificationEntry } from './VerificationCache';
import { counted, printable } from '../../core/oci';
import { signedBy } from '../../core/sign';

export interface VerificationCounts {
  verified: number;
  failed: number;
  /** Could not be checked: keyless cosign signatures, or no trust material for their kind. */
  unverified: number;
}

export function statusOf(result: SignatureVerification['result']): VerificationStatus {
  return result.ok ? 'verified' : result.unverifiable ? 'unverified' : 'failed';
}

export function countResults(results: readonly SignatureVerification[]): VerificationCounts {
  const counts: VerificationCounts = { verified: 0, failed: 0, unverified: 0 };
  for (const { result } of results) counts[statusOf(result)]++;
  return counts;
}

/** A failure anywhere wins; then a verification; an entry is "unverified" only when nothing else is known. */
function combine(statuses: readonly VerificationStatus[]): VerificationStatus {
  if (statuses.includes('failed')) return 'failed';
  return statuses.includes('verified') ? 'verified' : 'unverified';
}

// Each result is one line of the hover (which keeps line breaks): signers, reasons and predicate types come from
// certificates, registries and statements, so a break inside one is shown as a code point, never a forged line.
function outcome(result: SignatureVerification['result']): string {
  return result.ok
    ? signedBy(result.signer, result.envelopeSignature, printable)
    : result.reasons.map(printable).join('; ');
}

function detailOf({ kind, result }: SignatureVerification): string {
  const prefix = kind === 'cosign' ? 'cosign: ' : kind === 'sigstore' ? 'Sigstore bundle: ' : '';
  return `${prefix}${outcome(result)}`;
}

function attestationDetailOf({ result }: AttestationVerification): string {
  return `attestation ${printable(result.predicateType ?? '(no predicate type)')}: ${outcome(result)}`;
}

export function verificationEntries(
  subjectDigest: string,
  results: readonly SignatureVerification[],
  attestations: readonly AttestationVerification[] = [],
): Map<string, VerificationEntry> {
  const entries = new Map<string, VerificationEntry>();
  const bySignature = new Map<string, SignatureVerification[]>();
  for (const result of results)
    bySignature.set(result.signature.digest, [...(bySignature.get(result.signature.digest) ?? []), result]);
  for (const [digest, group] of bySignature) {
    entries.set(digest, {
      status: combine(group.map((r) => statusOf(r.result))),
      detail: group.map(detailOf).join('\n'),
    });
  }
  // Bundles that sign are badged as signatures already; attestation bundles, `.att` manifests and attestation
  // referrers get their own.
  const byAttestation = new Map<string, AttestationVerification[]>();
  for (const a of attestations)
    if (!entries.has(a.manifest.digest))
      byAttestation.set(a.manifest.digest, [...(byAttestation.get(a.manifest.digest) ?? []), a]);
  for (const [digest, group] of byAttestation)
    entries.set(digest, {
      status: combine(group.map((a) => statusOf(a.result))),
      detail: group.map(attestationDetailOf).join('\n'),
    });
  if (results.length) {
    const { verified, failed, unverified } = countResults(results);
    const parts = [
      verified && `${verified} verified`,
      failed && `${failed} failed`,
      unverified && `${unverified} not verified`,
    ].filter(Boolean);
    // The artifact counts as verified only when something verified and nothing failed (as the CLI decides).
    const status: VerificationStatus = failed ? 'failed' : verified ? 'verified' : 'unverified';
    entries.set(subjectDigest, { status, detail: `${counted(results.length, 'signature')}: ${parts.join(', ')}` });
  }
  return entries;
}
