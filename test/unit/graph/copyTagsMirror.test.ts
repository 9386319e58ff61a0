// copyTags as a nightly mirror runs it: a failing tag reported and passed by with keepGoing (and ending the run,
// named, without), tags the destination holds at another digest kept with noClobber, a full re-check that repairs
// a graph the destination lost part of, the tags' HEADs asked a bounded number ahead with results in tag order,
// and cosign tags answered from the tag list already read.
import * as assert from 'node:assert/strict';
import { copyTags, formatCopyTagsSummary, type TagEvent } from '../../../src/core/graph';
import { MemoryTarget } from '../../../src/core/memory';
import { type Cancellable, digestOf, EMPTY_JSON } from '../../../src/core/content';
import {
  AuthError,
  type Descriptor,
  EMPTY_DESCRIPTOR,
  isManifestOrIndex,
  NotFoundError,
  OciError,
} from '../../../src/core/oci';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

const LAYER = 'application/vnd.stowage.test.layer';

/** Tags v0…v(count-1), each an artifact of one layer of its own; returns each tag's digest. */
async function pushTags(target: MemoryTarget, count: number): Promise<string[]> {
  await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
  const digests: string[] = [];
  for (let i = 0; i < count; i++) {
    const own = Buffer.from(`layer of tag ${i}`);
    const layer = { mediaType: LAYER, digest: digestOf(own), size: own.length };
    await target.pushBlob(layer, bytesContent(own));
    const bytes = artifactManifest([layer]);
    await target.pushManifest(manifestDescriptor(bytes), bytes, { tag: `v${i}` });
    digests.push(manifestDescriptor(bytes).digest);
  }
  return digests;
}

/** A source whose manifest for `refused` cannot be had (as a registry answering 500 or a manifest it lost). */
class RefusingSource extends MemoryTarget {
  constructor(private readonly refused: string) {
    super({ location: 'upstream' });
  }
  override async resolve(reference: string, options?: Cancellable): Promise<Descriptor> {
    if (reference === this.refused) throw new OciError('REGISTRY', `upstream refused manifest ${reference} (500)`);
    return super.resolve(reference, options);
  }
}

/** A registry-like destination (whole graphs) that lost the blobs in `lost`: it says it lacks them. */
class ForgetfulRegistry extends MemoryTarget {
  readonly keepsWholeGraphs = true as const;
  readonly lost = new Set<string>();
  readonly blobsAsked: string[] = [];
  override async exists(descriptor: Descriptor, options?: Cancellable): Promise<boolean> {
    if (!isManifestOrIndex(descriptor.mediaType)) this.blobsAsked.push(descriptor.digest);
    return !this.lost.has(descriptor.digest) && super.exists(descriptor, options);
  }
  override async pushBlob(...args: Parameters<MemoryTarget['pushBlob']>): Promise<void> {
    await super.pushBlob(...args);
    this.lost.delete(args[0].digest);
  }
}

describe('copyTags as a mirror: failures, no-clobber, full re-check, HEADs ahead', () => {
  it('keepGoing: a tag the source refuses and one the destination refuses are named with their reasons; the others are copied', async () => {
    const src = new RefusingSource('v1');
    await pushTags(src, 4);
    const dst = new (class extends MemoryTarget {
      override async pushManifest(...args: Parameters<MemoryTarget['pushManifest']>) {
        if (args[2]?.tag === 'v2') throw new OciError('REGISTRY', 'destination refused v2: DENIED');
        return super.pushManifest(...args);
      }
    })();
    const events: TagEvent[] = [];
    const summary = await copyTags(src, dst, { keepGoing: true, onTag: (e) => events.push(e) });
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      ['v0', 'v3'],
    );
    assert.deepEqual(summary.failed, [
      { tag: 'v1', reason: 'upstream refused manifest v1 (500)', code: 'REGISTRY' },
      { tag: 'v2', reason: 'destination refused v2: DENIED', code: 'REGISTRY' },
    ]);
    assert.deepEqual(
      events.filter((e) => e.phase !== 'start').map((e) => [e.tag, e.phase]),
      [
        ['v0', 'done'],
        ['v1', 'failed'],
        ['v2', 'failed'],
        ['v3', 'done'],
      ],
    );
    assert.match(formatCopyTagsSummary(summary), /; 2 tags failed: v1, v2$/);
    await dst.resolve('v3');
  });

  it('keepGoing stops at a full disk or a read-only file system: no tag gets past it, so the rest are not read', async () => {
    for (const code of ['ENOSPC', 'EROFS']) {
      const src = new MemoryTarget();
      await pushTags(src, 3);
      const dst = new (class extends MemoryTarget {
        override async pushBlob(...args: Parameters<MemoryTarget['pushBlob']>) {
          if (args[0].digest !== EMPTY_DESCRIPTOR.digest)
            throw Object.assign(new Error(`${code}: no space left on device, write`), { code });
          return super.pushBlob(...args);
        }
      })();
      const events: TagEvent[] = [];
      await assert.rejects(copyTags(src, dst, { keepGoing: true, onTag: (e) => events.push(e) }), { code });
      assert.deepEqual(
        events.map((e) => [e.tag, e.phase, e.endsRun]),
        [
          ['v0', 'start', undefined],
          ['v0', 'failed', 'storage'],
        ],
      );
    }
  });

  it('without keepGoing the first failing tag ends the copy with its own error, after a failed event; later tags are not copied', async () => {
    const src = new RefusingSource('v1');
    await pushTags(src, 3);
    const dst = new MemoryTarget();
    const events: TagEvent[] = [];
    await assert.rejects(copyTags(src, dst, { onTag: (e) => events.push(e) }), /upstream refused manifest v1/);
    assert.deepEqual(
      events.map((e) => [e.tag, e.phase, e.position, e.count]),
      [
        ['v0', 'start', 1, 3],
        ['v0', 'done', 1, 3],
        ['v1', 'start', 2, 3],
        ['v1', 'failed', 2, 3],
      ],
    );
    await assert.rejects(dst.resolve('v2'), NotFoundError);
  });

  it('noClobber: a tag naming another digest at the destination is kept there and named; the same digest is unchanged', async () => {
    const src = new MemoryTarget();
    const digests = await pushTags(src, 2);
    const dst = new MemoryTarget();
    await copyTags(src, dst, {});
    const theirs = (await pushArtifact(dst, 'pushed at the mirror by hand', { tag: 'v1' })).manifest.digest;
    const summary = await copyTags(src, dst, { noClobber: true });
    assert.equal((await dst.resolve('v1')).digest, theirs, 'the tag was moved');
    assert.deepEqual(summary.kept, [{ tag: 'v1', digest: digests[1], destination: theirs }]);
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.unchanged]),
      [['v0', true]],
    );
    assert.match(formatCopyTagsSummary(summary), /; 1 tag kept as the destination has it: v1$/);
  });

  it('keepGoing: refused credentials end the run at the first tag they fail, not sent again for each tag', async () => {
    const src = new MemoryTarget();
    await pushTags(src, 3);
    let refusals = 0;
    const dst = new (class extends MemoryTarget {
      override async pushManifest(...args: Parameters<MemoryTarget['pushManifest']>) {
        refusals++;
        if (refusals > 0) throw new AuthError('mirror.example', 'mirror.example refused the credentials (401)');
        return super.pushManifest(...args);
      }
    })();
    await assert.rejects(copyTags(src, dst, { keepGoing: true }), { name: 'AuthError', code: 'UNAUTHORIZED' });
    assert.equal(refusals, 1, 'the refused credentials were sent again for later tags');
  });

  it('noClobber: a tag pushed at the destination while its graph was copied is kept, not written over', async () => {
    const src = new MemoryTarget();
    const digests = await pushTags(src, 1);
    let theirs: string | undefined;
    let meddled = false;
    const dst = new (class extends MemoryTarget {
      override async pushBlob(...args: Parameters<MemoryTarget['pushBlob']>) {
        await super.pushBlob(...args);
        // Someone else tags v0 while its blobs move: after the HEAD that found none, before the tagging.
        if (!meddled) {
          meddled = true;
          theirs = (await pushArtifact(this, 'pushed meanwhile', { tag: 'v0' })).manifest.digest;
        }
      }
    })();
    const summary = await copyTags(src, dst, { noClobber: true });
    assert.equal((await dst.resolve('v0')).digest, theirs, 'the tag pushed meanwhile was written over');
    assert.deepEqual(summary.kept, [{ tag: 'v0', digest: digests[0], destination: theirs }]);
    assert.equal((await dst.resolve(digests[0]!)).digest, digests[0], 'the graph is there, untagged');
  });

  it('a destination that answered the HEAD but not the check before writing leaves the tag unwritten; a tag gone meanwhile is written', async () => {
    const src = new MemoryTarget();
    const digests = await pushTags(src, 2);
    let theirs: string | undefined;
    const asked = new Map<string, number>();
    const dst = new (class extends MemoryTarget {
      override async resolve(reference: string, options?: Cancellable): Promise<Descriptor> {
        const count = (asked.get(reference) ?? 0) + 1;
        asked.set(reference, count);
        // The second ask of a tag is the check before writing it. v0: a release pushed while its graph moved, and
        // the check answered 500. v1: named another digest at the HEAD, gone by the check (writing moves nothing).
        if (count === 2 && reference === 'v0') {
          theirs = (await pushArtifact(this, 'pushed meanwhile', { tag: 'v0' })).manifest.digest;
          throw new OciError('REGISTRY', 'mirror answered 500');
        }
        if (count === 2 && reference === 'v1') await this.untag('v1');
        return super.resolve(reference, options);
      }
    })();
    const old = (await pushArtifact(dst, 'old v1', { tag: 'v1' })).manifest.digest;
    asked.clear();
    const realResolve = MemoryTarget.prototype.resolve;
    const summary = await copyTags(src, dst, { keepGoing: true });
    assert.equal((await realResolve.call(dst, 'v0')).digest, theirs, 'the tag pushed meanwhile was written over');
    assert.deepEqual(
      summary.failed.map((f) => [f.tag, f.code]),
      [['v0', 'CONFLICT']],
    );
    assert.match(
      summary.failed[0]!.reason,
      /cannot tell whether .* has tag v0 \(mirror answered 500\); it is left unwritten rather than written over what it names \(what was copied stays there, untagged\)/,
    );
    assert.deepEqual(summary.tags, [{ tag: 'v1', digest: digests[1], referrers: 0, replaced: old }]);
    assert.equal((await realResolve.call(dst, 'v1')).digest, digests[1]);
  });

  it('noClobber: a tag the destination cannot be asked about fails (keepGoing: named) and is not written', async () => {
    const src = new MemoryTarget();
    const digests = await pushTags(src, 2);
    const dst = new (class extends MemoryTarget {
      override async resolve(reference: string, options?: Cancellable): Promise<Descriptor> {
        if (reference === 'v1') throw new OciError('REGISTRY', 'mirror answered 500');
        return super.resolve(reference, options);
      }
    })();
    const theirs = (await pushArtifact(dst, 'theirs', { tag: 'v1' })).manifest.digest;
    const summary = await copyTags(src, dst, { noClobber: true, keepGoing: true });
    assert.equal((await MemoryTarget.prototype.resolve.call(dst, 'v1')).digest, theirs, 'the tag was written over');
    assert.deepEqual(
      summary.failed.map((f) => [f.tag, f.code]),
      [['v1', 'CONFLICT']],
    );
    assert.match(
      summary.failed[0]!.reason,
      /cannot tell whether .* has tag v1 \(mirror answered 500\); --no-clobber leaves it unwritten/,
    );
    assert.deepEqual(
      summary.tags.map((t) => [t.tag, t.digest]),
      [['v0', digests[0]]],
    );
    // Without noClobber the HEAD only tells, and the copy goes on.
    const plain = await copyTags(src, dst, {});
    assert.deepEqual(plain.failed, []);
  });

  it('checkEveryNode repairs a blob the registry lost under a manifest it holds; the default trusts the manifest', async () => {
    const src = new MemoryTarget();
    await pushTags(src, 2);
    const dst = new ForgetfulRegistry();
    await copyTags(src, dst, {});
    const own = digestOf(Buffer.from('layer of tag 1'));
    dst.lost.add(own);
    dst.blobsAsked.length = 0;

    const trusting = await copyTags(src, dst, {});
    assert.deepEqual([...dst.blobsAsked], [], 'a blob was asked about under a manifest the registry holds');
    assert.equal(trusting.blobs, 0);

    const checked = await copyTags(src, dst, { checkEveryNode: true });
    assert.equal(dst.lost.size, 0, 'the lost blob was not sent again');
    assert.equal(checked.blobs, 1);
    assert.ok(dst.blobsAsked.includes(own));
    assert.deepEqual(
      checked.tags.map((t) => [t.tag, t.unchanged]),
      [
        ['v0', true],
        ['v1', undefined],
      ],
    );
  });

  it('asks the tags’ HEADs at most `concurrency` tags ahead, several at once, and reports them in tag order', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (at: MemoryTarget['resolve']) =>
      async function (this: MemoryTarget, reference: string, options?: Cancellable) {
        inFlight++;
        most = Math.max(most, inFlight);
        // Later tags answer sooner: order must come from the tags, not the answers.
        await new Promise((resolve) => setTimeout(resolve, 30 - Number(reference.slice(1))));
        inFlight--;
        return at.call(this, reference, options);
      };
    const src = new MemoryTarget();
    await pushTags(src, 12);
    src.resolve = slow(MemoryTarget.prototype.resolve);
    const dst = new MemoryTarget();
    dst.resolve = slow(MemoryTarget.prototype.resolve);
    const done: string[] = [];
    const summary = await copyTags(src, dst, {
      concurrency: 3,
      onTag: (e) => void (e.phase === 'done' && done.push(e.tag)),
    });
    // 3 tags ahead, each asked at both ends at once.
    assert.ok(most > 2 && most <= 6, `at most ${most} HEADs were under way at once`);
    const order = [...Array(12).keys()].map((i) => `v${i}`).sort();
    assert.deepEqual(done, order);
    assert.deepEqual(
      summary.tags.map((t) => t.tag),
      order,
    );
  });

  it('with referrers, answers fallback and cosign tags from the tag list it read, for all tags and for tags named; a source that refuses its list is asked each', async () => {
    const asked: string[] = [];
    let listing = true;
    const src = new (class extends MemoryTarget {
      override async resolve(reference: string, options?: Cancellable): Promise<Descriptor> {
        if (/\.(sig|att|sbom)$/.test(reference)) asked.push(reference);
        return super.resolve(reference, options);
      }
      override async fetchManifest(ref: string | Descriptor, options?: Cancellable) {
        if (typeof ref === 'string' && /^sha256-[a-f0-9]{64}$/.test(ref)) asked.push(ref);
        return super.fetchManifest(ref, options);
      }
      override listTags(options?: Parameters<MemoryTarget['listTags']>[0]) {
        if (!listing) throw new OciError('DENIED', 'listing tags is not allowed here');
        return super.listTags(options);
      }
    })();
    const [v0] = await pushTags(src, 2);
    const signatureTag = `${v0!.replace(':', '-')}.sig`;
    await pushArtifact(src, 'a cosign signature', { tag: signatureTag });

    await copyTags(src, new MemoryTarget(), { referrers: true });
    // The listed one is still read (and judged: this one names no subject, so it is not copied as a referrer).
    assert.deepEqual(asked, [signatureTag], 'an unlisted fallback or cosign tag was asked for');

    asked.length = 0;
    await copyTags(src, new MemoryTarget(), { referrers: true, tags: ['v0', 'v1'] });
    assert.deepEqual(asked, [signatureTag], 'named tags: an unlisted fallback or cosign tag was asked for');

    asked.length = 0;
    listing = false;
    await copyTags(src, new MemoryTarget(), { referrers: true, tags: ['v0', 'v1'] });
    assert.equal(asked.length, 8, `no list: each fallback and cosign tag asked (${asked.join(', ')})`);
  });
});
