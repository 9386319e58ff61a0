// The supply chain of a whole repository, as an auditor or a release gate asks about it: every tag (or those a
// glob picks, selected as `copy --all-tags` selects them) judged by auditTag, `concurrency` at a time, reported in
// tag order. Over any Target that lists tags: a registry repository or a layout.
import { setMaxListeners } from 'node:events';
import { throwIfAborted } from '../oci';
import { createLimiter, SharedManifestReads, type Target } from '../content';
import { selectTags } from '../graph';
import {
  auditTag,
  verifiesAttestations,
  type AuditRequirement,
  type TagAudit,
  type TagVerdict,
  type TrustOptions,
} from './tagAudit';

export interface RepositoryAuditOptions extends TrustOptions {
  /** Only tags matching one of these globs (`*`, `?`); every tag but referrer tags when empty. */
  patterns?: readonly string[];
  require?: readonly AuditRequirement[];
  /** Tags audited at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Once the tags are known, and as each is judged (in the order they finish). */
  onTags?: (tags: readonly string[]) => void;
  onTag?: (audit: TagAudit, done: number, count: number) => void;
}

export interface RepositoryAuditSummary {
  tags: number;
  /** How many tags got each verdict. */
  verdicts: Record<TagVerdict, number>;
  withSbom: number;
  withAttestations: number;
  indexes: number;
}

export interface RepositoryAudit {
  location: string;
  require: AuditRequirement[];
  /** In tag order. */
  tags: TagAudit[];
  summary: RepositoryAuditSummary;
  /** Every tag passed (and there was one): what a gate's exit code says. */
  passed: boolean;
  /**
   * True only when attestations were verified (cosign keys or a Sigstore trusted root were given) and every SBOM
   * and attestation counted verified, of which there was at least one (none found is nothing verified). Without that trust, SBOMs and attestations are counted as found (by their
   * manifests' declared types), their signatures and contents unchecked, and this is false.
   */
  evidenceVerified: boolean;
}

const DEFAULT_CONCURRENCY = 4;

export async function auditRepository(target: Target, options: RepositoryAuditOptions): Promise<RepositoryAudit> {
  const { patterns, require = [], concurrency, onTags, onTag, ...trust } = options;
  // Every manifest read of every tag in flight waits on this signal: with a few tags at once that is more
  // listeners than Node's leak warning expects (it printed on every `verify --all-tags`). The caller's own
  // signal stays as it was: this one follows it.
  const signal = options.signal && AbortSignal.any([options.signal]);
  if (signal) setMaxListeners(0, signal);
  const tags = await selectTags(target, { patterns, signal });
  onTags?.(tags);
  const limit = createLimiter(concurrency ?? DEFAULT_CONCURRENCY);
  // One budget of kept manifests for the whole audit (MAX_SHARED_MANIFEST_BYTES), not one per tag at once.
  const reads = new SharedManifestReads(target, { signal });
  let done = 0;
  // Started in tag order, at most `concurrency` at once; the first failure (cancellation) stops the rest.
  const audits = await Promise.all(
    tags.map((tag) =>
      limit(async () => {
        throwIfAborted(signal);
        const audit = await auditTag(target, tag, trust, require, signal, reads);
        onTag?.(audit, ++done, tags.length);
        return audit;
      }),
    ),
  );
  const summary = summarise(audits);
  return {
    location: target.location,
    require: [...new Set(require)],
    tags: audits,
    summary,
    passed: audits.length > 0 && summary.verdicts.passed === audits.length,
    evidenceVerified: evidenceVerified(audits, verifiesAttestations(trust)),
  };
}

function summarise(audits: readonly TagAudit[]): RepositoryAuditSummary {
  const verdicts: Record<TagVerdict, number> = {
    passed: 0,
    missing: 0,
    unverified: 0,
    unsigned: 0,
    incomplete: 0,
    failed: 0,
    error: 0,
  };
  for (const audit of audits) verdicts[audit.verdict]++;
  return {
    tags: audits.length,
    verdicts,
    withSbom: audits.filter((a) => a.sboms.length).length,
    withAttestations: audits.filter((a) => a.attestations.length).length,
    indexes: audits.filter((a) => a.index).length,
  };
}

/** Some evidence was found and all of it verified: an audit that found none verified nothing (not vacuously true). */
function evidenceVerified(audits: readonly TagAudit[], attestationTrust: boolean): boolean {
  const pieces = audits.flatMap((a) => [...a.sboms, ...a.attestations]);
  return attestationTrust && pieces.length > 0 && pieces.every((piece) => piece.verified === true);
}
