import * as assert from 'node:assert/strict';
import { digestOf } from '../../src/core/content/hashing';
import { fallbackTagOf, isReferrerTag } from '../../src/core/graph/referrers';
import { addToFallbackIndex } from '../../src/core/graph/fallbackIndex';
import { AbortedError } from '../../src/core/oci/errors';
import { EMPTY_DIGEST, MediaType } from '../../src/core/oci/mediaTypes';
import type { Target } from '../../src/core/content/target';
import { MemoryTarget } from '../../src/core/memory';

/** The store as a registry sees it: no lock, so a writer waits for the fallback index to settle. */
function withoutReferrersLock(target: MemoryTarget): Target {
  return new Proxy(target, {
    get(store, key) {
      if (key === 'withReferrersLock') return undefined;
      const value: unknown = Reflect.get(store, key, store);
      return typeof value === 'function' ? value.bind(store) : value;
    },
  });
}

describe('isReferrerTag', () => {
  it('recognises fallback-index and cosign tags and nothing else', () => {
    const fallback = fallbackTagOf(EMPTY_DIGEST);
    for (const tag of [fallback, `${fallback}.sig`, `${fallback}.att`, `${fallback}.sbom`])
      assert.ok(isReferrerTag(tag), tag);
    for (const tag of ['v1', 'latest', 'sha256-abc', `${fallback}.txt`, `${fallback}x`, 'sha256'])
      assert.ok(!isReferrerTag(tag), tag);
  });
});

describe('addToFallbackIndex', () => {
  it('stops at once when cancelled while waiting for the index to settle', async () => {
    const target = withoutReferrersLock(new MemoryTarget());
    const entry = { mediaType: MediaType.ociManifest, digest: digestOf('referrer'), size: 8 };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    // The settle wait after the write is at least 150 ms; a wait that ignores Cancel would sit it out.
    await assert.rejects(addToFallbackIndex(target, EMPTY_DIGEST, entry, controller.signal), AbortedError);
    assert.ok(Date.now() - started < 120, `took ${Date.now() - started} ms after Cancel at 20 ms`);
  });
});
