import * as assert from 'node:assert/strict';
import { fallbackTagOf, isReferrerTag } from '../../src/core/graph/referrers';
import { EMPTY_DIGEST } from '../../src/core/oci/mediaTypes';

describe('isReferrerTag', () => {
  it('recognises fallback-index and cosign tags and nothing else', () => {
    const fallback = fallbackTagOf(EMPTY_DIGEST);
    for (const tag of [fallback, `${fallback}.sig`, `${fallback}.att`, `${fallback}.sbom`])
      assert.ok(isReferrerTag(tag), tag);
    for (const tag of ['v1', 'latest', 'sha256-abc', `${fallback}.txt`, `${fallback}x`, 'sha256'])
      assert.ok(!isReferrerTag(tag), tag);
  });
});
