// The judge reads every listed referrer's manifest (up to 4 MiB each from a hostile registry, hundreds per graph)
// and keeps only what a verdict needs: a manifest it read is not held for the rest of the walk.
import * as assert from 'node:assert/strict';
import { fullCollect } from '../../helpers/fullCollect';
import { referrerJudge } from '../../../src/core/graph';
import type { Cancellable, FetchedManifest } from '../../../src/core/content';
import { MemoryTarget } from '../../../src/core/memory';
import type { Descriptor } from '../../../src/core/oci';
import { artifactManifest, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

/** Each read hands out a manifest object of its own, watched by a WeakRef. */
class WatchedReads extends MemoryTarget {
  readonly handedOut: WeakRef<object>[] = [];
  override async fetchManifest(ref: string | Descriptor, options?: Cancellable): Promise<FetchedManifest> {
    const fetched = await super.fetchManifest(ref, options);
    const manifest = JSON.parse(JSON.stringify(fetched.manifest)) as FetchedManifest['manifest'];
    this.handedOut.push(new WeakRef(manifest));
    return { ...fetched, manifest };
  }
}

describe('referrerJudge: what it keeps of the manifests it read', () => {
  it('holds no manifest it judged, whether it refused or kept it, while the judge lives on', async () => {
    const target = new WatchedReads();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const listed = [];
    for (let i = 0; i < 6; i++) {
      // Half name the subject (true referrers), half name none (forged listings); each padded, as a hostile one is.
      const bytes = artifactManifest([], {
        annotations: { padding: `${i} ${'x'.repeat(64 * 1024)}` },
        ...(i % 2 ? { subject } : {}),
      });
      const descriptor = manifestDescriptor(bytes);
      await target.pushManifest(descriptor, bytes);
      listed.push({ descriptor, source: 'fallback-tag' as const });
    }
    const judge = referrerJudge(target);
    const kept = await judge.keep(subject.digest, listed);
    assert.equal(kept.length, 3);
    assert.equal(judge.refused.length, 3);
    assert.equal(target.handedOut.length, 6);

    await new Promise((resolve) => setImmediate(resolve));
    fullCollect();
    await new Promise((resolve) => setImmediate(resolve));
    fullCollect();
    const held = target.handedOut.filter((ref) => ref.deref() !== undefined).length;
    assert.equal(held, 0, `${held} of the manifests read are still held by the judge`);
    // The judge still answers from what it kept, without reading again.
    assert.equal(await judge.accept(subject.digest, listed[1]!), true);
    assert.equal(await judge.accept(subject.digest, listed[0]!), false);
    assert.equal(target.handedOut.length, 6);
  });
});
