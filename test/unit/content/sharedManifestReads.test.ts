// Manifest reads shared among lookups (the tree's creation time and description of each tag): one fetch per tag
// or digest while kept, joined while in flight, never failing one caller because another gave up, a failure not
// kept, everything dropped by forget() or when the owner is cancelled.
import * as assert from 'node:assert/strict';
import { SharedManifestReads, type FetchedManifest } from '../../../src/core/content';
import { createdTimeOf } from '../../../src/core/graph';
import { describeArtifact } from '../../../src/core/supplyChain';
import { MemoryTarget } from '../../../src/core/memory';
import type { Descriptor } from '../../../src/core/oci';
import { pushArtifact } from '../../helpers/sampleArtifact';

/** A MemoryTarget that counts manifest fetches and can be made to fail or hold them. */
class CountingTarget extends MemoryTarget {
  fetches = 0;
  failNext = false;
  hold?: Promise<void>;

  override async fetchManifest(ref: string | Descriptor, options?: { signal?: AbortSignal }): Promise<FetchedManifest> {
    this.fetches++;
    if (this.hold) await this.hold;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('the registry hiccuped');
    }
    return super.fetchManifest(ref, options);
  }
}

describe('shared manifest reads', () => {
  let store: CountingTarget;

  beforeEach(async () => {
    store = new CountingTarget();
    await pushArtifact(store, 'one', { tag: 'v1' });
    await pushArtifact(store, 'two', { tag: 'v2' });
  });

  it('reads each tag once for its creation time and its description, and again after forget()', async () => {
    const shared = new SharedManifestReads(store);
    for (const tag of ['v1', 'v2']) {
      await createdTimeOf(shared.target, tag);
      const description = await describeArtifact(shared.target, tag);
      // Known by its digest too, once a tag read it.
      await shared.target.fetchManifest(description.descriptor);
    }
    assert.equal(store.fetches, 2, 'one fetch per tag (it was one per lookup: 4, plus 2 by digest)');
    shared.forget();
    await describeArtifact(shared.target, 'v1');
    assert.equal(store.fetches, 3);
  });

  it('joins a read in flight; a caller giving up does not fail the others; a failure is not kept', async () => {
    const shared = new SharedManifestReads(store);
    let release!: () => void;
    store.hold = new Promise<void>((resolve) => (release = resolve));
    const quitter = new AbortController();
    const first = shared.fetchManifest('v1', { signal: quitter.signal });
    const second = shared.fetchManifest('v1');
    quitter.abort();
    await assert.rejects(first, { name: 'AbortedError' });
    store.hold = undefined;
    release();
    assert.equal((await second).descriptor.size > 0, true);
    assert.equal(store.fetches, 1);

    store.failNext = true;
    await assert.rejects(shared.fetchManifest('v2'), /hiccuped/);
    await shared.fetchManifest('v2');
    assert.equal(store.fetches, 3, 'the failed read was tried again');
  });

  it('keeps the bytes of a read done, not its parsed manifest (a few times larger on the heap): each lookup parses its own', async () => {
    const shared = new SharedManifestReads(store);
    const first = await shared.fetchManifest('v1');
    const again = await shared.fetchManifest('v1');
    const byDigest = await shared.fetchManifest(first.descriptor.digest);
    assert.equal(store.fetches, 1);
    assert.equal(again.bytes, first.bytes, 'the bytes kept are handed out');
    assert.notEqual(again.manifest, first.manifest, 'the parsed manifest of the first read was kept');
    assert.deepEqual(again.manifest, first.manifest);
    assert.deepEqual(byDigest, first);
  });

  it("starts no read once its owner's run is cancelled", async () => {
    const owner = new AbortController();
    const shared = new SharedManifestReads(store, { signal: owner.signal });
    await shared.fetchManifest('v1');
    owner.abort();
    await assert.rejects(shared.fetchManifest('v2'), { name: 'AbortedError' });
    await assert.rejects(shared.fetchManifest('v1'), { name: 'AbortedError' }, 'nothing kept is handed out either');
    assert.equal(store.fetches, 1);
  });
});
