// How a repository's supply-chain verdicts become the tag rows' badges: the icon follows the signatures (passed is
// verified, failed and error are failed, everything else is not verified), the words name the verdict and what is
// missing, and a tag that could not be read (no digest) gets none.
import * as assert from 'node:assert/strict';
import { judgeTag, type AuditedSignature, type RepositoryAudit, type TagFacts } from '../../../src/core/supplyChain';
import { auditEntries } from '../../../src/vscode/supplyChain/auditBadges';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const signature = (status: AuditedSignature['status']): AuditedSignature => ({
  kind: 'notary',
  signature: digest('f'),
  status,
  reasons: [],
});
const facts = (tag: string, c: string, extra: Partial<TagFacts> = {}): TagFacts => ({
  tag,
  digest: digest(c),
  index: false,
  signatures: [signature('verified')],
  notReferrers: 0,
  truncated: false,
  sboms: [],
  attestations: [],
  ...extra,
});

describe('vscode/auditBadges: supply-chain verdicts as tag badges', () => {
  it('says each verdict in words, with the icon of its signatures, and skips a tag without a digest', () => {
    const require = ['sbom', 'provenance'] as const;
    const tags = [
      judgeTag(facts('passed', '1', { sboms: [{ format: 'CycloneDX' } as never] }), ['sbom']),
      judgeTag(facts('missing', '2'), require),
      judgeTag(facts('unsigned', '3', { signatures: [] }), []),
      judgeTag(facts('failed', '4', { signatures: [signature('failed'), signature('verified')] }), []),
      judgeTag({ ...facts('gone', '5'), digest: undefined, error: 'not found' }, []),
    ];
    const entries = auditEntries({ tags } as unknown as RepositoryAudit);
    assert.deepEqual(
      [...entries].map(([d, e]) => [d, e.status, e.label]),
      [
        [digest('1'), 'verified', 'supply chain: passed'],
        [digest('2'), 'unverified', 'supply chain: missing SBOM, provenance'],
        [digest('3'), 'unverified', 'supply chain: unsigned'],
        [digest('4'), 'failed', 'supply chain: failed'],
      ],
    );
    assert.equal(
      entries.get(digest('4'))?.detail,
      'Supply chain check: failed (2 signatures: 1 verified, 1 failed, 0 not checked; 0 SBOMs, 0 attestations)',
    );
    assert.equal(
      entries.get(digest('3'))?.detail,
      'Supply chain check: unsigned (no signature; 0 SBOMs, 0 attestations)',
    );
  });
});
