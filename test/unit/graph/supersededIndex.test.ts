// The referrers index a fallback-tag update supersedes is deleted where the store keeps what nothing names (a
// registry; here the in-memory store, which deletes by digest and takes the digest's tags along as a registry
// does), but never one the tag names again: the same bytes written back by another writer since, or written anew
// by this one.
import * as assert from 'node:assert/strict';
import { digestOf, type Cancellable } from '../../../src/core/content';
import {
  addToFallbackIndex,
  ENTRIES_REMEMBERED,
  removeFromFallbackIndex,
  writeFallbackIndex,
} from '../../../src/core/graph/fallbackIndex';
import { fallbackTagOf } from '../../../src/core/graph/referrers';
import { MemoryTarget } from '../../../src/core/memory';
import { isIndex, MediaType, OciError, type Descriptor } from '../../../src/core/oci';
import { artifactManifest, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

/**
 * A store where another writer acts just as this one looks up the fallback tag before deleting the old index (a
 * resolve of its own, not the one inside a fetch: the read-back after the write must see the write).
 */
class RacedStore extends MemoryTarget {
  beforeNextResolve?: () => Promise<void>;
  private fetching = 0;

  override async fetchManifest(
    ref: string | Descriptor,
    options?: Cancellable,
  ): ReturnType<MemoryTarget['fetchManifest']> {
    this.fetching++;
    try {
      return await super.fetchManifest(ref, options);
    } finally {
      this.fetching--;
    }
  }

  override async resolve(tagOrDigest: string, options?: Cancellable): Promise<Descriptor> {
    const hook = this.fetching ? undefined : this.beforeNextResolve;
    if (hook) this.beforeNextResolve = undefined;
    await hook?.();
    return super.resolve(tagOrDigest, options);
  }
}

/** A store that refuses deletes (405 on a registry) and collects the warnings its user would see. */
class RefusingStore extends MemoryTarget {
  readonly warnings: string[] = [];

  override async deleteManifest(descriptor: Descriptor): Promise<void> {
    throw new OciError('UNSUPPORTED', `${this.location} does not support deleting ${descriptor.digest}`);
  }

  warn(text: string): void {
    this.warnings.push(text);
  }
}

async function referrer(target: MemoryTarget, name: string, subject: Descriptor): Promise<Descriptor> {
  return (await pushArtifact(target, name, { subject })).manifest;
}

/** Counts reads of the manifests it is told about. */
class CountingStore extends MemoryTarget {
  readonly watched = new Set<string>();
  reads = 0;

  override async fetchManifest(
    ref: string | Descriptor,
    options?: Cancellable,
  ): ReturnType<MemoryTarget['fetchManifest']> {
    if (typeof ref !== 'string' && this.watched.has(ref.digest)) this.reads++;
    return super.fetchManifest(ref, options);
  }
}

describe('a superseded fallback index', () => {
  it('is checked reading each listed referrer once per store, not once per attach', async () => {
    const target = new CountingStore();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    for (let i = 0; i < 10; i++) {
      const added = await referrer(target, `r${i}`, subject);
      target.watched.add(added.digest);
      await addToFallbackIndex(target, subject.digest, added);
    }
    // Each superseded index lists the referrers before it: 9 new ones in all (45 reads when each was read again).
    assert.equal(target.reads, 9);
    const { manifest } = await target.fetchManifest(fallbackTagOf(subject.digest));
    assert.equal(isIndex(manifest) && manifest.manifests.length, 10);
  });

  it("remembers the referrers read for the last 16 subjects only: an older subject's are read again", async () => {
    const target = new CountingStore();
    const subjects: Descriptor[] = [];
    for (let s = 0; s < 17; s++) subjects.push((await pushArtifact(target, `subject ${s}`, { tag: `v${s}` })).manifest);
    const attach = async (s: number, name: string) =>
      addToFallbackIndex(target, subjects[s]!.digest, await referrer(target, name, subjects[s]!));
    const first = await referrer(target, 'first', subjects[0]!);
    target.watched.add(first.digest);
    await addToFallbackIndex(target, subjects[0]!.digest, first);
    await attach(0, 'second');
    assert.equal(target.reads, 1, 'read to supersede the first index');
    // Each of the 16 others supersedes an index of its own: 16 subjects read since the first one's.
    for (let s = 1; s < 17; s++) for (const name of ['a', 'b']) await attach(s, `${name} of ${s}`);
    await attach(0, 'third');
    assert.equal(target.reads, 2, 'the first subject was forgotten: a copy of many tags keeps no entry for each');
  });

  it('remembers no more than ENTRIES_REMEMBERED entries however many one subject lists', async () => {
    // A fallback index may list some 27,000 referrers (4 MiB), and anyone who can push can attach them: 16 subjects'
    // worth were held unbounded (about 60 MiB).
    const target = new CountingStore();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const listed: Descriptor[] = [];
    for (let i = 0; i <= ENTRIES_REMEMBERED; i++) {
      const bytes = artifactManifest([], { subject, annotations: { n: String(i) } });
      const descriptor = manifestDescriptor(bytes);
      await target.pushManifest(descriptor, bytes);
      target.watched.add(descriptor.digest);
      listed.push(descriptor);
    }
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: listed }));
    await target.pushManifest(manifestDescriptor(index, MediaType.ociIndex), index, {
      tag: fallbackTagOf(subject.digest),
    });
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'one more', subject));
    assert.equal(target.reads, ENTRIES_REMEMBERED + 1, 'each entry read once to supersede the index');
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'and another', subject));
    assert.equal(target.reads, ENTRIES_REMEMBERED + 2, 'the one entry past the bound was not remembered');
  });

  it('is deleted once the tag names the index that replaced it', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const tag = fallbackTagOf(subject.digest);
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    const first = await target.resolve(tag);
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'b', subject));
    assert.notEqual((await target.resolve(tag)).digest, first.digest);
    assert.equal(await target.exists(first), false);
  });

  it('is deleted when a removal supersedes it, though the referrer removed is gone already', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const tag = fallbackTagOf(subject.digest);
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    const b = await referrer(target, 'b', subject);
    await addToFallbackIndex(target, subject.digest, b);
    const both = await target.resolve(tag);
    await target.deleteManifest(b); // a delete with referrers removes the referrer first, then its entry
    await removeFromFallbackIndex(target, subject.digest, b.digest);
    assert.notEqual((await target.resolve(tag)).digest, both.digest);
    assert.equal(await target.exists(both), false);
  });

  it('stays when another writer put the very same index back under the tag before the delete', async () => {
    const target = new RacedStore();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const tag = fallbackTagOf(subject.digest);
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    const first = await target.fetchManifest(tag);
    const b = await referrer(target, 'b', subject);
    // The other writer (one removing "b" again, say) writes what the tag named before: the same digest.
    target.beforeNextResolve = async () => {
      await target.pushManifest(first.descriptor, first.bytes, { tag });
    };
    await addToFallbackIndex(target, subject.digest, b);
    assert.equal((await target.resolve(tag)).digest, first.descriptor.digest, 'the tag was not deleted with it');
    assert.equal(await target.exists(first.descriptor), true);
  });

  it('stays when the update writes the same index again (a repair rebuilding what is there)', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const tag = fallbackTagOf(subject.digest);
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    const current = await target.fetchManifest(tag);
    const entries = (current.manifest as { manifests: Descriptor[] }).manifests;
    const written = await writeFallbackIndex(target, subject.digest, entries);
    assert.equal(written.digest, current.descriptor.digest);
    assert.equal((await target.resolve(tag)).digest, current.descriptor.digest);
  });

  it('stays where the store refuses deletes: every update succeeds, and the user hears it once', async () => {
    const target = new RefusingStore();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const tag = fallbackTagOf(subject.digest);
    const indexes: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      await addToFallbackIndex(target, subject.digest, await referrer(target, name, subject));
      indexes.push((await target.resolve(tag)).digest);
    }
    for (const digest of indexes) assert.equal((await target.fetchManifest(digest)).descriptor.digest, digest);
    assert.equal(target.warnings.length, 1, target.warnings.join('\n'));
    assert.match(
      target.warnings[0]!,
      new RegExp(`^memory: the referrers index ${indexes[0]} that tag ${tag} named before this update stays behind`),
    );
    assert.match(target.warnings[0]!, /other superseded indexes of this run stay too/);
  });
});

/**
 * Anyone who can push can point a subject's fallback tag at somebody's index: a multi-platform image, or another
 * subject's referrers index. Deleting "the superseded index" by digest would take that index and all its tags away
 * with the rights of whoever attaches next.
 */
describe('an index somebody pointed the fallback tag at', () => {
  async function pushIndex(target: MemoryTarget, manifests: Descriptor[], tag: string): Promise<Descriptor> {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
    const descriptor = { mediaType: MediaType.ociIndex, digest: digestOf(bytes), size: bytes.length };
    await target.pushManifest(descriptor, bytes, { tag });
    return descriptor;
  }

  it('stays, tags and all, when it is a multi-platform image and not a referrers index of this subject', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const amd64 = (await pushArtifact(target, 'amd64')).manifest;
    const arm64 = (await pushArtifact(target, 'arm64')).manifest;
    const image = await pushIndex(target, [amd64, arm64], 'latest');
    await target.tag(image, fallbackTagOf(subject.digest)); // the co-tenant's move
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    assert.equal((await target.resolve('latest')).digest, image.digest, "the user's image and its tag stay");
  });

  it("stays when it is another subject's referrers index: that subject keeps its tag", async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const other = (await pushArtifact(target, 'other', { tag: 'v2' })).manifest;
    await addToFallbackIndex(target, other.digest, await referrer(target, 'signature of other', other));
    const othersIndex = await target.resolve(fallbackTagOf(other.digest));
    await target.tag(othersIndex, fallbackTagOf(subject.digest));
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    assert.equal((await target.resolve(fallbackTagOf(other.digest))).digest, othersIndex.digest);
  });

  it('is read once per referrer it lists, however often it lists one', async () => {
    const reads = new Map<string, number>();
    const target = new (class extends MemoryTarget {
      override fetchManifest(ref: string | Descriptor, options?: Cancellable) {
        const digest = typeof ref === 'string' ? ref : ref.digest;
        reads.set(digest, (reads.get(digest) ?? 0) + 1);
        return super.fetchManifest(ref, options);
      }
    })();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const a = await referrer(target, 'a', subject);
    const repeated = await pushIndex(
      target,
      Array.from({ length: 200 }, () => a),
      'repeated',
    );
    await target.tag(repeated, fallbackTagOf(subject.digest));
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'b', subject));
    assert.equal(reads.get(a.digest), 1);
  });

  it('stays when it is the empty index, whose bytes any emptied fallback tag may share', async () => {
    const target = new MemoryTarget();
    const subject = (await pushArtifact(target, 'subject', { tag: 'v1' })).manifest;
    const other = (await pushArtifact(target, 'other', { tag: 'v2' })).manifest;
    const empty = await writeFallbackIndex(target, other.digest, []);
    await writeFallbackIndex(target, subject.digest, []);
    await addToFallbackIndex(target, subject.digest, await referrer(target, 'a', subject));
    assert.equal((await target.resolve(fallbackTagOf(other.digest))).digest, empty.digest);
  });
});
