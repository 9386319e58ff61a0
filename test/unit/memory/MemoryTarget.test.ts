// The in-memory Target honours the store contract as the registry and the layout do: verified pushes that keep
// nothing on a mismatch, capped and checked manifests, tags, deletes, and referrers with or without an API.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { MemoryTarget } from '../../../src/core/memory';
import { digestOf } from '../../../src/core/content';
import { type Descriptor, MAX_MANIFEST_BYTES, OciError } from '../../../src/core/oci';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

async function allTags(target: MemoryTarget, pageSize?: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of target.listTags({ pageSize })) pages.push(page);
  return pages;
}

describe('MemoryTarget: the store contract in memory', () => {
  it('stores a multi-MiB blob, reports its bytes, and streams it back verified', async () => {
    const target = new MemoryTarget();
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const descriptor: Descriptor = {
      mediaType: 'application/octet-stream',
      digest: digestOf(bytes),
      size: bytes.length,
    };
    let pushed = 0;
    await target.pushBlob(descriptor, bytesContent(bytes), { onBytes: (n) => (pushed += n) });
    assert.equal(pushed, bytes.length);
    assert.equal(await target.exists(descriptor), true);
    assert.deepEqual(await buffer(await target.fetchBlob(descriptor)), bytes);
  });

  it('refuses a blob whose bytes do not match its digest or size and keeps nothing', async () => {
    const target = new MemoryTarget();
    const descriptor: Descriptor = { mediaType: 'application/octet-stream', digest: digestOf('expected'), size: 8 };
    await assert.rejects(target.pushBlob(descriptor, bytesContent(Buffer.from('tampered'))), (e: unknown) =>
      OciError.is(e, 'DIGEST_MISMATCH'),
    );
    await assert.rejects(
      target.pushBlob(descriptor, bytesContent(Buffer.from('too long!'))),
      /more than the expected 8 bytes/,
    );
    await assert.rejects(target.pushBlob(descriptor, bytesContent(Buffer.from('short'))), /size mismatch/);
    assert.equal(await target.exists(descriptor), false);
  });

  it('stops a push when its signal aborts, with the ABORTED error, and keeps nothing', async () => {
    const target = new MemoryTarget();
    const controller = new AbortController();
    const chunk = Buffer.alloc(64 * 1024, 1);
    const descriptor: Descriptor = {
      mediaType: 'x',
      digest: digestOf(Buffer.alloc(10 * chunk.length, 1)),
      size: 10 * chunk.length,
    };
    const slow = async () =>
      Readable.from(
        (async function* () {
          for (let i = 0; i < 10; i++) {
            if (i === 3) controller.abort();
            yield chunk;
            await new Promise((r) => setTimeout(r, 1));
          }
        })(),
      );
    await assert.rejects(target.pushBlob(descriptor, slow, { signal: controller.signal }), (e: unknown) =>
      OciError.is(e, 'ABORTED'),
    );
    assert.equal(await target.exists(descriptor), false);
  });

  it('does not read a blob it already stores again', async () => {
    const target = new MemoryTarget();
    const bytes = Buffer.from('same');
    const descriptor: Descriptor = { mediaType: 'x', digest: digestOf(bytes), size: bytes.length };
    await target.pushBlob(descriptor, bytesContent(bytes));
    let opened = false;
    await target.pushBlob(descriptor, async () => ((opened = true), bytesContent(bytes)(0)));
    assert.equal(opened, false);
  });

  it('fails a fetched blob stream asked for with the wrong size', async () => {
    const target = new MemoryTarget();
    const bytes = Buffer.from('original content');
    const descriptor: Descriptor = { mediaType: 'x', digest: digestOf(bytes), size: bytes.length };
    await target.pushBlob(descriptor, bytesContent(bytes));
    await assert.rejects(buffer(await target.fetchBlob({ ...descriptor, size: 3 })), /more than the expected 3 bytes/);
  });

  it('pushes a tagged manifest and resolves it by tag and by digest; an unknown name is NOT_FOUND', async () => {
    const target = new MemoryTarget();
    const a = await pushArtifact(target, 'a', { tag: 'v1' });
    assert.deepEqual(await target.resolve('v1'), a.manifest);
    assert.deepEqual(await target.resolve(a.manifest.digest), a.manifest);
    const fetched = await target.fetchManifest('v1');
    assert.deepEqual(fetched.bytes, a.manifestBytes);
    assert.deepEqual(fetched.descriptor, a.manifest);
    await assert.rejects(target.resolve('v2'), (e: unknown) => OciError.is(e, 'NOT_FOUND') && /"v2"/.test(e.message));
    await assert.rejects(target.resolve(a.layer.digest), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
  });

  it('a tag records the media type the manifest declares, not the caller’s, as the registry and layout stores do; a declared non-manifest type is not tagged', async () => {
    const target = new MemoryTarget();
    const bytes = artifactManifest([]);
    // The caller's word (a HEAD's Content-Type, a listing's) says index; the bytes say image manifest.
    const asIndex = manifestDescriptor(bytes, 'application/vnd.oci.image.index.v1+json');
    await target.pushManifest(asIndex, bytes, { tag: 'pushed' });
    await target.tag(asIndex, 'tagged');
    for (const tag of ['pushed', 'tagged'])
      assert.equal((await target.resolve(tag)).mediaType, 'application/vnd.oci.image.manifest.v1+json', tag);

    const odd = artifactManifest([], { mediaType: 'text/html' } as object);
    await assert.rejects(
      target.pushManifest(manifestDescriptor(odd), odd, { tag: 'odd' }),
      (e: unknown) => OciError.is(e, 'INVALID_CONTENT') && /declares the media type "text\/html"/.test(e.message),
    );
    await assert.rejects(target.resolve(manifestDescriptor(odd).digest), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
  });

  it('keeps its own copy of manifest bytes: a caller reusing its buffer changes nothing stored', async () => {
    const target = new MemoryTarget();
    const bytes = artifactManifest([]);
    const descriptor = manifestDescriptor(bytes);
    await target.pushManifest(descriptor, bytes);
    bytes.fill(0x20);
    assert.deepEqual((await target.fetchManifest(descriptor)).bytes, artifactManifest([]));
  });

  it('refuses manifests over 4 MiB, manifests whose bytes do not match, and non-manifests; asking for one over 4 MiB too', async () => {
    const target = new MemoryTarget();
    const huge = artifactManifest([], { annotations: { pad: 'x'.repeat(MAX_MANIFEST_BYTES) } });
    await assert.rejects(target.pushManifest(manifestDescriptor(huge), huge), (e: unknown) =>
      OciError.is(e, 'SIZE_EXCEEDED'),
    );
    await assert.rejects(target.fetchManifest(manifestDescriptor(huge)), (e: unknown) =>
      OciError.is(e, 'SIZE_EXCEEDED'),
    );
    const bytes = artifactManifest([]);
    await assert.rejects(
      target.pushManifest({ ...manifestDescriptor(bytes), digest: digestOf('other') }, bytes, { tag: 'v1' }),
      (e: unknown) => OciError.is(e, 'DIGEST_MISMATCH'),
    );
    const notManifest = Buffer.from('{"schemaVersion":1}');
    await assert.rejects(target.pushManifest(manifestDescriptor(notManifest), notManifest), /schemaVersion 1/);
    assert.deepEqual(await allTags(target), []);
  });

  it('moves a tag, lists tags sorted and paged, and refuses invalid tags and unknown manifests', async () => {
    const target = new MemoryTarget();
    const a = await pushArtifact(target, 'a', { tag: 'v1' });
    const b = await pushArtifact(target, 'b', { tag: 'v2' });
    await target.tag(b.manifest, 'v1');
    await target.tag(a.manifest, 'latest');
    assert.equal((await target.resolve('v1')).digest, b.manifest.digest);
    assert.deepEqual(await allTags(target, 2), [['latest', 'v1'], ['v2']]);
    await assert.rejects(target.tag(a.manifest, '-bad'), (e: unknown) => OciError.is(e, 'USAGE'));
    await assert.rejects(target.tag(a.layer, 'layer'), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
  });

  it('untags, and deletes a manifest with all its tags', async () => {
    const target = new MemoryTarget();
    const a = await pushArtifact(target, 'a', { tag: 'v1' });
    await target.tag(a.manifest, 'v2');
    await target.untag('v1');
    assert.deepEqual(await allTags(target), [['v2']]);
    assert.equal(await target.exists(a.manifest), true);
    await assert.rejects(target.untag('v1'), (e: unknown) => OciError.is(e, 'NOT_FOUND') && /tag "v1"/.test(e.message));
    await target.deleteManifest(a.manifest);
    assert.deepEqual(await allTags(target), []);
    assert.equal(await target.exists(a.manifest), false);
    await assert.rejects(target.deleteManifest(a.manifest), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
  });

  it('has no referrers API by default, and with one lists the manifests whose subject is the digest', async () => {
    const plain = new MemoryTarget();
    const subject = (await pushArtifact(plain, 'subject')).manifest;
    assert.equal(await plain.nativeReferrers(subject.digest), undefined);

    const withApi = new MemoryTarget({ referrersApi: true });
    await pushArtifact(withApi, 'subject');
    const referrer = await pushArtifact(withApi, 'sbom', { subject });
    const bytes = artifactManifest([], { subject, artifactType: 'application/vnd.other' });
    const other = manifestDescriptor(bytes);
    const { subjectIndexed } = await withApi.pushManifest(other, bytes);
    assert.equal(subjectIndexed, true, 'a store with the API indexes the subject itself');
    assert.deepEqual(
      (await withApi.nativeReferrers(subject.digest))?.map((d) => [d.digest, d.artifactType]),
      [
        [referrer.manifest.digest, 'application/vnd.stowage.test'],
        [other.digest, 'application/vnd.other'],
      ],
    );
    assert.deepEqual(
      (await withApi.nativeReferrers(subject.digest, { artifactType: 'application/vnd.other' }))?.map((d) => d.digest),
      [other.digest],
    );
    await withApi.deleteManifest(other);
    assert.deepEqual(
      (await withApi.nativeReferrers(subject.digest))?.map((d) => d.digest),
      [referrer.manifest.digest],
    );
  });
});
