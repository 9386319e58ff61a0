// A repository's supply-chain check shown on its tag rows, through the badges Verify Signatures sets (the
// VerificationCache the trees redraw from): the icon says how the tag's signatures went, the words its verdict
// ("supply chain: missing SBOM"), the hover what was found. Only Stowage's own words: no signer or type names.
import { counted } from '../../core/oci';
import type { RepositoryAudit, TagAudit } from '../../core/supplyChain';
import type { VerificationStatus } from '../../protocol/messages';
import type { VerificationEntry } from './VerificationCache';

const REQUIREMENT_WORDS = { sbom: 'SBOM', attestation: 'attestation', provenance: 'provenance' } as const;

/** The badge of each tagged digest the audit judged (an unreadable tag names none). */
export function auditEntries(audit: RepositoryAudit): Map<string, VerificationEntry> {
  const entries = new Map<string, VerificationEntry>();
  for (const tag of audit.tags) if (tag.digest) entries.set(tag.digest, auditEntry(tag));
  return entries;
}

export function auditEntry(tag: TagAudit): VerificationEntry {
  const status: VerificationStatus =
    tag.verdict === 'passed'
      ? 'verified'
      : tag.verdict === 'failed' || tag.verdict === 'error'
        ? 'failed'
        : 'unverified';
  const verdict =
    tag.verdict === 'missing' ? `missing ${tag.missing.map((r) => REQUIREMENT_WORDS[r]).join(', ')}` : tag.verdict;
  const signatures = tag.signatures.length
    ? `${counted(tag.signatures.length, 'signature')}: ${tag.verified} verified, ${tag.failed} failed, ${tag.unchecked} not checked`
    : 'no signature';
  const evidence = `${counted(tag.sboms.length, 'SBOM')}, ${counted(tag.attestations.length, 'attestation')}`;
  return {
    status,
    label: `supply chain: ${verdict}`,
    detail: `Supply chain check: ${verdict} (${signatures}; ${evidence})`,
  };
}
