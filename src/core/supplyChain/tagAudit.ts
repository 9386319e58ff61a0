// One tag of a repository audit: its manifest resolved, its signatures verified as `verify` verifies one artifact,
// its SBOMs and attestations found, and a verdict by verify's rule (at least one verified signature, none failed,
// nothing left unread) plus what the auditor requires. An index is judged by its own signatures (what cosign signs
// by default), not its platform manifests'; the attestation manifests BuildKit keeps in it count as its evidence.
import { isIndexType, OciError, printable, type Descriptor } from '../oci';
import type { EnvelopeSignature } from '../sign';
import { SharedManifestReads, type ReadOnlyTarget } from '../content';
import { verifyArtifactSignatures, type AttestationKind, type VerifyArtifactOptions } from './verifyArtifact';
import { applyAttestationVerdicts, indexEvidence, isProvenance, tagEvidence, type TagEvidence } from './tagEvidence';
import { attestationStatus } from './attestationText';
import { auditedSignature, type AuditedSignature } from './auditedSignature';
import { applySbomSignatures, sbomSignatureVerdict } from './sbomSignatures';

export type { AuditedSignature } from './auditedSignature';

/** What a tag may be required to have besides a verified signature. */
export type AuditRequirement = 'sbom' | 'attestation' | 'provenance';

export const AUDIT_REQUIREMENTS: readonly AuditRequirement[] = ['sbom', 'attestation', 'provenance'];

/**
 * The verdict on a tag, the first that applies: `error` (it could not be read), `failed` (a signature, a checked
 * attestation or an SBOM's own signature failed), `incomplete` (referrers or signatures, the tag's or its SBOMs',
 * were left unread at the bounds: a failing one may be among them), `unsigned` (no signature at all), `unverified` (signatures, none verified: no trust material for
 * their kind), `missing` (signed, but without something required), `unverified` again (what is required is there,
 * but not verified: `unverifiedEvidence` names it), `passed`.
 */
export type TagVerdict = 'passed' | 'missing' | 'unverified' | 'unsigned' | 'incomplete' | 'failed' | 'error';

/** One attestation's result, as JSON shows it (only when the audit had trust material for attestations). */
export interface AuditedAttestation {
  kind: AttestationKind;
  /** The attestation (or Sigstore bundle) manifest. */
  manifest: string;
  layer?: string;
  predicateType?: string;
  status: 'verified' | 'failed' | 'unchecked';
  signer?: string;
  envelopeSignature?: EnvelopeSignature;
  reasons: string[];
}

export interface TagAudit extends TagEvidence {
  tag: string;
  /** Absent when the tag could not be resolved (`error`). */
  digest?: string;
  mediaType?: string;
  /** The tag names an index: its own signatures were judged, not its manifests'. */
  index: boolean;
  verified: number;
  failed: number;
  unchecked: number;
  signatures: AuditedSignature[];
  /** Listed as referrers but referring to something else: not judged. */
  notReferrers: number;
  /** More referrers than are read (MAX_REFERRERS_READ), or signature layers beyond MAX_SIGNATURE_CHECKS. */
  truncated: boolean;
  /** Its attestations verified (cosign keys or a Sigstore trusted root were given); absent: evidence is presence only. */
  attestationChecks?: AuditedAttestation[];
  /** The requirements it does not meet. */
  missing: AuditRequirement[];
  /** Requirements met only by evidence that did not verify (with trust material for attestations). */
  unverifiedEvidence: AuditRequirement[];
  verdict: TagVerdict;
  /** Why it could not be read (`error`). */
  error?: string;
}

export type TrustOptions = Omit<VerifyArtifactOptions, 'signal' | 'sharedReads'>;

/** Keys or a Sigstore trusted root can verify attestations (Notary certificates cannot). */
export function verifiesAttestations(trust: TrustOptions): boolean {
  return !!(trust.cosignKeys?.length || trust.sigstoreTrustedRoot);
}

/**
 * Audits the manifest `tag` names in `target`; a tag that cannot be read is an `error` row, not a thrown error.
 * `reads` (default: of this tag alone) may be shared by a whole audit, so that the manifests kept stay within one
 * byte budget however many tags are judged at once.
 */
export async function auditTag(
  target: ReadOnlyTarget,
  tag: string,
  trust: TrustOptions,
  require: readonly AuditRequirement[],
  signal?: AbortSignal,
  reads = new SharedManifestReads(target, { signal }),
): Promise<TagAudit> {
  let subject: Descriptor | undefined;
  try {
    subject = await target.resolve(tag, { signal });
    const verification = await verifyArtifactSignatures(target, subject, { ...trust, signal, sharedReads: reads });
    const evidence = await tagEvidence(reads.target, verification.referrers, signal);
    if (isIndexType(subject.mediaType))
      await indexEvidence(reads.target, (await reads.fetchManifest(subject, { signal })).manifest, evidence, signal);
    // With keys or a Sigstore root, evidence counts only when its DSSE signatures verified; else presence only.
    const attestationTrust = verifiesAttestations(trust);
    if (attestationTrust) applyAttestationVerdicts(evidence, verification.attestations);
    // An SBOM signed on its own (stowage sign, notation) is judged by its own signatures, with any trust given.
    if (attestationTrust || trust.trustedCerts.length)
      await applySbomSignatures(
        target,
        reads,
        subject,
        evidence,
        verification.referrers,
        trust,
        attestationTrust,
        signal,
      );
    const attestationChecks = verification.attestations.map(
      ({ kind, manifest, layer, result }): AuditedAttestation => ({
        kind,
        manifest: manifest.digest,
        ...(layer ? { layer: layer.digest } : {}),
        ...(result.predicateType ? { predicateType: result.predicateType } : {}),
        status: attestationStatus(result),
        ...(result.signer ? { signer: result.signer } : {}),
        ...(result.envelopeSignature ? { envelopeSignature: result.envelopeSignature } : {}),
        reasons: result.reasons,
      }),
    );
    const signatures = verification.signatures.map(auditedSignature);
    return judgeTag(
      {
        tag,
        digest: subject.digest,
        mediaType: subject.mediaType,
        index: isIndexType(subject.mediaType),
        signatures,
        notReferrers: verification.notReferrers.length,
        truncated: verification.truncated || verification.unchecked > 0,
        ...evidence,
        ...(attestationTrust ? { attestationChecks } : {}),
      },
      require,
    );
  } catch (err) {
    // A tag deleted since the listing, or a manifest the store cannot give, is this tag's problem, not the run's.
    if (signal?.aborted || !OciError.is(err) || err.code === 'ABORTED') throw err;
    return judgeTag(
      {
        tag,
        ...(subject ? { digest: subject.digest, mediaType: subject.mediaType } : {}),
        index: !!subject && isIndexType(subject.mediaType),
        signatures: [],
        notReferrers: 0,
        truncated: false,
        sboms: [],
        attestations: [],
        error: printable(err.message),
      },
      require,
    );
  }
}

/** The facts of a tag, before judging. */
export type TagFacts = Omit<
  TagAudit,
  'verified' | 'failed' | 'unchecked' | 'missing' | 'unverifiedEvidence' | 'verdict'
>;

/** The verdict by verify's one-artifact rule, then the requirements (a pure function: unit-tested alone). */
export function judgeTag(facts: TagFacts, require: readonly AuditRequirement[]): TagAudit {
  const count = (status: AuditedSignature['status']) => facts.signatures.filter((s) => s.status === status).length;
  const [verified, failed, unchecked] = [count('verified'), count('failed'), count('unchecked')];
  // A failed attestation, or a failed signature of an SBOM, fails the tag as a failed signature does.
  const attestationFailed =
    (facts.attestationChecks ?? []).some((a) => a.status === 'failed') ||
    facts.sboms.some((s) => sbomSignatureVerdict(s) === 'failed');
  // An SBOM whose signatures were left unread at the bounds may hide a failing one, as a signature left unread may.
  const sbomSignaturesUnread = facts.sboms.some((s) => s.unread !== undefined);
  const evidence = (counts: (piece: { verified?: boolean }) => boolean): Record<AuditRequirement, boolean> => {
    const attestations = facts.attestations.filter(counts);
    return {
      sbom: facts.sboms.some(counts),
      attestation: attestations.length > 0,
      provenance: attestations.flatMap((a) => a.predicateTypes).some(isProvenance),
    };
  };
  const present = evidence(() => true);
  // Without trust for attestations `verified` is unset: presence counts, as before.
  const counted = evidence((piece) => piece.verified !== false);
  const required = [...new Set(require)];
  const missing = required.filter((r) => !present[r]);
  const unverifiedEvidence = required.filter((r) => present[r] && !counted[r]);
  const verdict: TagVerdict =
    facts.error !== undefined
      ? 'error'
      : failed || attestationFailed
        ? 'failed'
        : facts.truncated || sbomSignaturesUnread
          ? 'incomplete'
          : !facts.signatures.length
            ? 'unsigned'
            : !verified
              ? 'unverified'
              : missing.length
                ? 'missing'
                : unverifiedEvidence.length
                  ? 'unverified'
                  : 'passed';
  return { ...facts, verified, failed, unchecked, missing, unverifiedEvidence, verdict };
}
