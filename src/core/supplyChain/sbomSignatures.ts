// An SBOM attached as a document of its own and then signed on its own (`stowage attach` of the SBOM, then
// `stowage sign`, notation or cosign on the SBOM's digest: how ORAS and Notation users sign SBOMs) is verified by
// its own signature referrers, with the trust the audit was given. One level deep, and bounded: a tag's SBOMs are
// checked up to MAX_SBOMS_CHECKED, each through at most MAX_SBOM_SIGNATURE_REFERRERS signature referrers.
import { counted, type Descriptor } from '../oci';
import type { ReadOnlyTarget, SharedManifestReads } from '../content';
import type { Referrer } from '../graph';
import { auditedSignature } from './auditedSignature';
import type { FoundSbom, TagEvidence } from './tagEvidence';
import { verifyArtifactSignatures, type VerifyArtifactOptions } from './verifyArtifact';

/** Signature referrers of one SBOM read at most (a real SBOM has one or two signatures). */
export const MAX_SBOM_SIGNATURE_REFERRERS = 8;
/** SBOMs of one tag whose signatures are checked at most (a real tag has one or two SBOMs). */
export const MAX_SBOMS_CHECKED = 16;

/**
 * Signature layers checked at most over all the SBOMs of one tag: one per signature referrer read. Each referrer
 * may hold up to MAX_SIGNATURE_LAYERS, and without a shared budget a tag's SBOMs could cost 16 × 8 × 100 reads
 * and verifications, thirteen times what the tag's own signatures may.
 */
export const MAX_SBOM_SIGNATURE_CHECKS = MAX_SBOMS_CHECKED * MAX_SBOM_SIGNATURE_REFERRERS;

const NOT_CHECKED_REASON = `not checked: the SBOMs of a tag have at most ${MAX_SBOM_SIGNATURE_CHECKS} signature layers checked, and the signatures before this one used them`;

/** The audit's trust, as verify takes it: the SBOM's own reads and bounds are set here. */
type SbomTrust = Omit<VerifyArtifactOptions, 'signal' | 'sharedReads' | 'signaturesOnly'>;

export type SbomSignatureVerdict = 'verified' | 'failed' | 'unverified';

/** Verified: one of its signatures verified, none failed and none left unread. Failed: one failed. */
export function sbomSignatureVerdict(sbom: Pick<FoundSbom, 'signatures' | 'unread'>): SbomSignatureVerdict {
  const statuses = (sbom.signatures ?? []).map((s) => s.status);
  if (statuses.includes('failed')) return 'failed';
  return statuses.includes('verified') && sbom.unread === undefined ? 'verified' : 'unverified';
}

/**
 * Checks the signatures of each SBOM document among `evidence.sboms` (attested SBOMs are judged by their
 * attestation) and marks it: verified when its signatures verify; not verified when one fails, or when
 * `evidenceJudged` (keys or a Sigstore root judge all evidence) and nothing verified it; else left as found.
 * A signature of an SBOM covers its manifest, so it vouches for this tag only when that manifest names the tag's
 * digest (`subject`) as its subject: an SBOM found by a cosign `.sbom` tag, which anyone can point at another
 * image's signed SBOM, names none or another, and its signatures are not counted (`unbound` says why).
 */
export async function applySbomSignatures(
  store: ReadOnlyTarget,
  reads: SharedManifestReads,
  subject: Descriptor,
  evidence: TagEvidence,
  referrers: readonly Referrer[],
  trust: SbomTrust,
  evidenceJudged: boolean,
  signal?: AbortSignal,
): Promise<void> {
  const listed = new Set(referrers.map((r) => r.descriptor.digest));
  let checked = 0;
  let checksLeft = MAX_SBOM_SIGNATURE_CHECKS;
  for (const sbom of evidence.sboms) {
    if (sbom.via !== 'referrer') continue;
    if (!listed.has(sbom.digest)) continue;
    const read = await readSbom(reads, sbom.digest, subject.digest, signal);
    if ('unbound' in read) {
      sbom.unbound = read.unbound;
      if (evidenceJudged) sbom.verified = false;
      continue;
    }
    if (checked++ >= MAX_SBOMS_CHECKED)
      sbom.unread = `not checked: the signatures of at most ${MAX_SBOMS_CHECKED} SBOMs of a tag are checked`;
    else {
      const found = await checkSbom(store, reads, read.fetched, trust, Math.max(0, checksLeft), signal);
      checksLeft -= found.checks;
      sbom.signatures = found.signatures;
      if (found.unread) sbom.unread = found.unread;
    }
    const verdict = sbomSignatureVerdict(sbom);
    if (verdict === 'verified') sbom.verified = true;
    else if (verdict === 'failed' || evidenceJudged) sbom.verified = false;
  }
}

/**
 * The SBOM's manifest, read by its digest (through the audit's shared reads): its signatures are checked against
 * the bytes fetched and verified, their size and media type. The referrer listing's size and media type are
 * anyone's to write: a listing that lies about them must neither fail the read nor the signature of the real bytes.
 * `unbound`: why its manifest does not name `subject` as its subject.
 */
async function readSbom(
  reads: SharedManifestReads,
  digest: string,
  subject: string,
  signal: AbortSignal | undefined,
): Promise<{ fetched: Descriptor } | { unbound: string }> {
  const { manifest, bytes, descriptor } = await reads.fetchManifest(digest, { signal });
  const named: unknown = manifest.subject?.digest;
  // A store may hand back the media type a caller's descriptor gave (a read shared with the listing's): the bytes'
  // own mediaType is the truth when they declare one.
  const declared = typeof manifest.mediaType === 'string' && manifest.mediaType ? manifest.mediaType : undefined;
  if (named === subject)
    return { fetched: { mediaType: declared ?? descriptor.mediaType, digest: descriptor.digest, size: bytes.length } };
  const which = typeof named === 'string' ? `names ${named.slice(0, 80)} as its subject` : 'names no subject';
  return {
    unbound: `its signatures are not counted for this tag: its manifest ${which}, so a signature of it does not say it describes ${subject}`,
  };
}

async function checkSbom(
  store: ReadOnlyTarget,
  reads: SharedManifestReads,
  sbom: Descriptor,
  trust: SbomTrust,
  maxChecks: number,
  signal: AbortSignal | undefined,
): Promise<Pick<FoundSbom, 'signatures' | 'unread'> & { checks: number }> {
  const verification = await verifyArtifactSignatures(store, sbom, {
    ...trust,
    signal,
    sharedReads: reads,
    signaturesOnly: { maxReferrers: MAX_SBOM_SIGNATURE_REFERRERS, maxChecks, notCheckedReason: NOT_CHECKED_REASON },
  });
  const unread = verification.truncated
    ? `more than ${counted(MAX_SBOM_SIGNATURE_REFERRERS, 'signature referrer')} are listed for it; those beyond were not read`
    : verification.unchecked
      ? `${counted(verification.unchecked, 'signature')} of it not checked (bounds reached)`
      : undefined;
  return {
    signatures: verification.signatures.map(auditedSignature),
    ...(unread ? { unread } : {}),
    checks:
      verification.signatures.reduce((spent, { result }) => spent + (result.checks ?? 1), 0) - verification.unchecked,
  };
}
