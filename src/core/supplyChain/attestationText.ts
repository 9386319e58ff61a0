// Attestation verdicts as `stowage verify --attestations` prints them and the editor logs them, and the rule both
// apply: pass when at least one attestation (of the type asked for) verified and none failed. Predicate types,
// signers and reasons come from envelopes and certificates: escaped here (printable) before any terminal or UI.
import { counted, printable, shortDigest } from '../oci';
import { signedBy, type VerificationResult } from '../sign';
import type { AttestationVerification } from './verifyArtifact';

export type AttestationStatus = 'verified' | 'failed' | 'unchecked';

export function attestationStatus(result: VerificationResult): AttestationStatus {
  return result.ok ? 'verified' : result.unverifiable ? 'unchecked' : 'failed';
}

/**
 * Those of `predicateType` (all when absent). One that did not verify and whose statement could not be read has no
 * type to compare: it is kept, since it may be of that type; so a tampered one is not hidden by the filter. One that
 * verified names its type or has none: without one it is not of the type asked for, and cannot make it pass.
 */
export function attestationsOfType(
  attestations: readonly AttestationVerification[],
  predicateType: string | undefined,
): AttestationVerification[] {
  if (predicateType === undefined) return [...attestations];
  return attestations.filter(({ result }) =>
    result.predicateType === undefined ? !result.ok : result.predicateType === predicateType,
  );
}

/** At least one verified, none failed (unchecked ones decide nothing), as for signatures. */
export function attestationsPass(attestations: readonly AttestationVerification[]): boolean {
  const statuses = attestations.map((a) => attestationStatus(a.result));
  return statuses.includes('verified') && !statuses.includes('failed');
}

const WHERE: Record<AttestationVerification['kind'], string> = {
  cosign: 'cosign .att',
  referrer: 'referrer',
  sigstore: 'Sigstore bundle',
};

/** "verified  sha256:… (cosign .att layer 0123456789ab) https://slsa.dev/provenance/v1 signed by cosign key …". */
export function attestationLine({ kind, manifest, layer, result }: AttestationVerification): string {
  const status = attestationStatus(result);
  const type = result.predicateType ? printable(result.predicateType) : '(no predicate type)';
  const what = `${manifest.digest} (${WHERE[kind]}${layer ? ` layer ${shortDigest(layer.digest)}` : ''}) ${type}`;
  if (status === 'verified') return `verified  ${what} ${signedBy(result.signer, result.envelopeSignature, printable)}`;
  return `${status === 'failed' ? 'FAILED    ' : 'UNCHECKED '}${what}: ${result.reasons.map(printable).join('; ')}`;
}

/** "2 attestations: 1 verified (https://slsa.dev/provenance/v1), 1 failed (…: reason)"; undefined when none. */
export function attestationSummary(attestations: readonly AttestationVerification[]): string | undefined {
  if (!attestations.length) return undefined;
  const of = (status: AttestationStatus) => attestations.filter((a) => attestationStatus(a.result) === status);
  const types = (list: readonly AttestationVerification[]) =>
    [...new Set(list.map((a) => printable(a.result.predicateType ?? '(no predicate type)')))].join(', ');
  const [verified, failed, unchecked] = [of('verified'), of('failed'), of('unchecked')];
  const first = (list: readonly AttestationVerification[]) =>
    `${shortDigest(list[0]!.manifest.digest)}: ${printable(list[0]!.result.reasons[0] ?? 'unknown reason')}`;
  const parts = [
    ...(verified.length ? [`${verified.length} verified (${types(verified)})`] : []),
    ...(failed.length ? [`${failed.length} failed (${first(failed)})`] : []),
    ...(unchecked.length ? [`${unchecked.length} not verified (${first(unchecked)})`] : []),
  ];
  return `${counted(attestations.length, 'attestation')}: ${parts.join(', ')}`;
}
