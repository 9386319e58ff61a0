// The supply chain of a whole repository, as an auditor or a release gate asks about it: every tag (or those a
// glob picks, selected as `copy --all-tags` selects them) judged by auditTag, `concurrency` at a time, reported in
// tag order. Over any Target that lists tags: a registry repository or a layout.
import { setMaxListeners } from 'node:events';
import { throwIfAborted } from '../oci';
import { createLimiter, SharedManifestReads, type Target } from '../content';
import { resolvedAhead, selectTags } from '../graph';
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
  /** Each tag's audit in tag order, as soon as it and those before it are judged. */
  onTagInOrder?: (audit: TagAudit) => void;
  /**
   * Keep every tag's audit for `tags` (default true). False: `tags` is empty and only the summary is kept, for a
   * caller that prints each tag through onTagInOrder (thousands of tags, each with its signatures' results).
   */
  keepTags?: boolean;
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
  const { patterns, require = [], concurrency, onTags, onTag, onTagInOrder, keepTags = true, ...trust } = options;
  // Every manifest read of every tag in flight waits on this signal: with a few tags at once that is more
  // listeners than Node's leak warning expects (it printed on every `verify --all-tags`). The caller's own
  // signal stays as it was: this one follows it.
  const signal = options.signal && AbortSignal.any([options.signal]);
  if (signal) setMaxListeners(0, signal);
  const tags = await selectTags(target, { patterns, signal });
  onTags?.(tags);
  const window = concurrency ?? DEFAULT_CONCURRENCY;
  const limit = createLimiter(window);
  // One budget of kept manifests for the whole audit (MAX_SHARED_MANIFEST_BYTES), not one per tag at once.
  const reads = new SharedManifestReads(target, { signal });
  let done = 0;
  const kept: TagAudit[] = [];
  const tally = new AuditTally();
  // Started in tag order, at most `concurrency` at once and `concurrency` judged ahead of the first not yet
  // reported (so an in-order report holds at most that many); the first failure (cancellation) stops the rest.
  const judged = resolvedAhead(
    tags,
    (tag) =>
      limit(async () => {
        throwIfAborted(signal);
        const audit = await auditTag(target, tag, trust, require, signal, reads);
        onTag?.(audit, ++done, tags.length);
        return audit;
      }),
    window,
  );
  for await (const settled of judged) {
    if (!settled.ok) throw settled.error;
    tally.add(settled.value);
    onTagInOrder?.(settled.value);
    if (keepTags) kept.push(settled.value);
  }
  const summary = tally.summary;
  return {
    location: target.location,
    require: [...new Set(require)],
    tags: kept,
    summary,
    passed: summary.tags > 0 && summary.verdicts.passed === summary.tags,
    evidenceVerified: verifiesAttestations(trust) && tally.evidence > 0 && tally.evidenceUnverified === 0,
  };
}

/** The summary counted tag by tag, so that an audit that keeps no tags still sums them up. */
class AuditTally {
  readonly summary: RepositoryAuditSummary = {
    tags: 0,
    verdicts: { passed: 0, missing: 0, unverified: 0, unsigned: 0, incomplete: 0, failed: 0, error: 0 },
    withSbom: 0,
    withAttestations: 0,
    indexes: 0,
  };
  /** SBOMs and attestations found, and those of them not verified (evidenceVerified: some found, all verified). */
  evidence = 0;
  evidenceUnverified = 0;

  add(audit: TagAudit): void {
    const { summary } = this;
    summary.tags++;
    summary.verdicts[audit.verdict]++;
    if (audit.sboms.length) summary.withSbom++;
    if (audit.attestations.length) summary.withAttestations++;
    if (audit.index) summary.indexes++;
    for (const piece of [...audit.sboms, ...audit.attestations]) {
      this.evidence++;
      if (piece.verified !== true) this.evidenceUnverified++;
    }
  }
}
