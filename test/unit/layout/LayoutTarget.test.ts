import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Descriptor, ImageIndex } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { Annotation, MAX_MANIFEST_BYTES, MediaType } from '../../../src/core/oci/mediaTypes';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(stream, new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
  return Buffer.concat(chunks);
}

async function allTags(layout: LayoutTarget, pageSize?: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of layout.listTags({ pageSize })) pages.push(page);
  return pages;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

describe('LayoutTarget', () => {
  let dir: string;
  let layout: LayoutTarget;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-layout-'));
    layout = await LayoutTarget.open(path.join(dir, 'l'), { create: true });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates oci-layout 1.0.0 and an empty OCI index.json', async () => {
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(layout.root, 'oci-layout'), 'utf8')), {
      imageLayoutVersion: '1.0.0',
    });
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(layout.root, 'index.json'), 'utf8')), {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [],
    });
    assert.equal(layout.location, `oci:${layout.root}`);
  });

  it('refuses to open a folder that is not a layout, naming the folder and saying what is there instead', async () => {
    await assert.rejects(
      LayoutTarget.open(dir),
      (e: unknown) =>
        OciError.is(e, 'LAYOUT') && e.message === `${dir} is not an OCI image layout: it has no oci-layout file`,
    );
    const missing = path.join(dir, 'typo');
    await assert.rejects(LayoutTarget.open(missing), {
      message: `${missing} is not an OCI image layout: no such folder`,
    });
    const file = path.join(dir, 'notes.txt');
    await fs.writeFile(file, 'hi');
    await assert.rejects(LayoutTarget.open(file), {
      message: `${file} is not an OCI image layout: it is a file, not a folder`,
    });
    // As the destination of a push or copy too (it said "ENOTDIR: not a directory, mkdir '…/blobs'").
    await assert.rejects(LayoutTarget.open(file, { create: true }), {
      message: `${file} is not an OCI image layout: it is a file, not a folder`,
    });
    assert.equal(await fs.readFile(file, 'utf8'), 'hi', 'the file is left as it was');
    await fs.rm(file);
    await fs.writeFile(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    await assert.rejects(LayoutTarget.open(dir), /imageLayoutVersion "2.0.0", expected 1.x/);
  });

  it('stores a multi-MiB blob at blobs/<alg>/<encoded> and streams it back verified', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const descriptor: Descriptor = {
      mediaType: 'application/octet-stream',
      digest: digestOf(bytes),
      size: bytes.length,
    };
    let pushed = 0;
    await layout.pushBlob(descriptor, bytesContent(bytes), { onBytes: (n) => (pushed += n) });
    assert.equal(pushed, bytes.length);
    assert.ok(await layout.exists(descriptor));
    assert.deepEqual(await fs.readFile(path.join(layout.root, 'blobs', 'sha256', descriptor.digest.slice(7))), bytes);
    assert.deepEqual(await collect(await layout.fetchBlob(descriptor)), bytes);
    assert.deepEqual(await filesUnder(path.join(layout.root, 'blobs')), [`sha256/${descriptor.digest.slice(7)}`]);
  });

  it('refuses a blob whose bytes do not match its digest and leaves nothing behind', async () => {
    const descriptor: Descriptor = { mediaType: 'application/octet-stream', digest: digestOf('expected'), size: 8 };
    await assert.rejects(layout.pushBlob(descriptor, bytesContent(Buffer.from('tampered'))), (e: unknown) =>
      OciError.is(e, 'DIGEST_MISMATCH'),
    );
    await assert.rejects(
      layout.pushBlob(descriptor, bytesContent(Buffer.from('too long!'))),
      /more than the expected 8 bytes/,
    );
    assert.equal(await layout.exists(descriptor), false);
    assert.deepEqual(await filesUnder(path.join(layout.root, 'blobs')), []);
  });

  it('stops a push when its signal aborts and leaves no partial blob or temp file', async () => {
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
            await new Promise((r) => setTimeout(r, 5));
          }
        })(),
      );
    await assert.rejects(layout.pushBlob(descriptor, slow, { signal: controller.signal }), (e: unknown) =>
      OciError.is(e, 'ABORTED'),
    );
    assert.deepEqual(await filesUnder(path.join(layout.root, 'blobs')), []);
  });

  it('does not rewrite a blob that is already stored', async () => {
    const bytes = Buffer.from('same');
    const descriptor: Descriptor = { mediaType: 'x', digest: digestOf(bytes), size: 4 };
    await layout.pushBlob(descriptor, bytesContent(bytes));
    const before = await fs.stat(layout.blobPath(descriptor.digest));
    let opened = false;
    await layout.pushBlob(descriptor, async () => ((opened = true), bytesContent(bytes)(0)));
    assert.equal(opened, false);
    assert.equal((await fs.stat(layout.blobPath(descriptor.digest))).ino, before.ino);
  });

  it('fails a fetched blob stream when the stored bytes were corrupted', async () => {
    const bytes = Buffer.from('original content');
    const descriptor: Descriptor = { mediaType: 'x', digest: digestOf(bytes), size: bytes.length };
    await layout.pushBlob(descriptor, bytesContent(bytes));
    await fs.writeFile(layout.blobPath(descriptor.digest), 'Original content');
    await assert.rejects(
      collect(await layout.fetchBlob(descriptor)),
      (e: unknown) => OciError.is(e, 'DIGEST_MISMATCH') && e.message.includes(layout.location),
    );
  });

  it('never maps a hostile digest to a path and says which layout refused it', async () => {
    assert.throws(() => layout.blobPath('sha256:../../etc/passwd'), /digest "sha256:..\/..\/etc\/passwd" is invalid/);
    await assert.rejects(
      layout.fetchBlob({ mediaType: 'x', digest: '../oci-layout', size: 1 }),
      (e: unknown) => OciError.is(e, 'INVALID_CONTENT') && e.message.includes(layout.location),
    );
    await assert.rejects(layout.resolve('sha256-not-a-tag-here'), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
  });

  it('pushes a tagged manifest and resolves it by tag and by digest', async () => {
    const a = await pushArtifact(layout, 'hello', { tag: 'v1' });
    assert.deepEqual(await layout.resolve('v1'), a.manifest);
    assert.deepEqual(await layout.resolve(a.manifest.digest), a.manifest);
    const fetched = await layout.fetchManifest('v1');
    assert.deepEqual(fetched.bytes, a.manifestBytes);
    assert.equal(fetched.descriptor.digest, a.manifest.digest);
    assert.equal(fetched.manifest.schemaVersion, 2);
    const index = JSON.parse(await fs.readFile(path.join(layout.root, 'index.json'), 'utf8')) as ImageIndex;
    assert.deepEqual(index.manifests, [{ ...a.manifest, annotations: { [Annotation.refName]: 'v1' } }]);
  });

  it('stores an untagged manifest as a blob only, resolvable by digest', async () => {
    const a = await pushArtifact(layout, 'child');
    assert.deepEqual((await layout.readIndex()).manifests, []);
    assert.deepEqual(await layout.resolve(a.manifest.digest), a.manifest);
  });

  it('moves a tag, lists tags sorted and paged, and refuses invalid tags and unknown manifests', async () => {
    const a = await pushArtifact(layout, 'a', { tag: 'v1' });
    const b = await pushArtifact(layout, 'b', { tag: 'v2' });
    await layout.tag(b.manifest, 'v1');
    await layout.tag(a.manifest, 'alpha');
    assert.equal((await layout.resolve('v1')).digest, b.manifest.digest);
    assert.deepEqual(await allTags(layout), [['alpha', 'v1', 'v2']]);
    assert.deepEqual(await allTags(layout, 2), [['alpha', 'v1'], ['v2']]);
    await assert.rejects(
      layout.tag(a.manifest, 'bad tag'),
      (e: unknown) => OciError.is(e, 'USAGE') && /may contain only/.test(e.message),
    );
    await assert.rejects(layout.tag({ ...a.manifest, digest: digestOf('nothing') }, 'v3'), (e: unknown) =>
      OciError.is(e, 'NOT_FOUND'),
    );
  });

  it('records in index.json the media type the manifest’s bytes declare, whatever the caller’s descriptor says', async () => {
    const a = await pushArtifact(layout, 'typed', { tag: 'v1' });
    // A registry HEAD's Content-Type, a stale row: not what the bytes are.
    await layout.tag({ ...a.manifest, mediaType: MediaType.dockerManifest }, 'v2');
    await layout.pushManifest({ ...a.manifest, mediaType: 'application/octet-stream' }, a.manifestBytes, { tag: 'v3' });
    const index = JSON.parse(await fs.readFile(path.join(layout.root, 'index.json'), 'utf8')) as ImageIndex;
    assert.deepEqual(
      index.manifests.map((m) => [m.annotations?.[Annotation.refName], m.mediaType]),
      [
        ['v1', MediaType.ociManifest],
        ['v2', MediaType.ociManifest],
        ['v3', MediaType.ociManifest],
      ],
    );
  });

  it('refuses to tag a manifest declaring a type that is no manifest or index: gc would not walk it and would take its layers', async () => {
    const a = await pushArtifact(layout, 'image', { tag: 'v1' });
    const manifestOf = (mediaType: string) => artifactManifest([a.layer], { mediaType });
    const hostile = ['\u001b[2J' + 'x'.repeat(10_000), MediaType.ociConfig];
    for (const mediaType of hostile) {
      const bytes = manifestOf(mediaType);
      const descriptor = manifestDescriptor(bytes);
      const refused = (err: unknown) => {
        assert.ok(OciError.is(err, 'INVALID_CONTENT'), String(err));
        const { message } = err as Error;
        assert.ok(message.includes(descriptor.digest) && message.includes('no manifest or index type'), message);
        assert.ok(!message.includes('\u001b') && message.length < 600, message);
        return true;
      };
      await assert.rejects(layout.pushManifest(descriptor, bytes, { tag: 'v2' }), refused);
      await layout.pushManifest(descriptor, bytes);
      await assert.rejects(layout.tag(descriptor, 'v3'), refused);
    }
    assert.deepEqual(await allTags(layout), [['v1']]);
    await layout.garbageCollect();
    assert.ok(await layout.exists(a.layer));
  });

  it('records a manifest declaring no type by its shape unless the caller’s type names that shape', async () => {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    await layout.pushManifest(manifestDescriptor(bytes, 'text/html'), bytes, { tag: 'html' });
    await layout.tag(manifestDescriptor(bytes, MediaType.dockerManifest), 'docker');
    await layout.tag(manifestDescriptor(bytes, MediaType.dockerManifestList), 'list');
    const index = JSON.parse(await fs.readFile(path.join(layout.root, 'index.json'), 'utf8')) as ImageIndex;
    assert.deepEqual(
      index.manifests.map((m) => [m.annotations?.[Annotation.refName], m.mediaType]),
      [
        ['html', MediaType.ociIndex],
        ['docker', MediaType.ociIndex],
        ['list', MediaType.dockerManifestList],
      ],
    );
  });

  it('accepts the fallback tag sha256-<hex> that referrers use', async () => {
    const a = await pushArtifact(layout, 'subject', { tag: 'v1' });
    const fallback = `sha256-${a.manifest.digest.slice(7)}`;
    const indexBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] }));
    await layout.pushManifest(manifestDescriptor(indexBytes, MediaType.ociIndex), indexBytes, { tag: fallback });
    assert.equal((await layout.resolve(fallback)).mediaType, MediaType.ociIndex);
  });

  it('untags (dropping an entry left without tags) and deletes manifests with all their tags', async () => {
    const a = await pushArtifact(layout, 'a', { tag: 'v1' });
    await layout.tag(a.manifest, 'v2');
    await layout.untag('v1');
    assert.deepEqual(await allTags(layout), [['v2']]);
    assert.ok(await layout.exists(a.manifest));
    await assert.rejects(layout.untag('v1'), (e: unknown) => OciError.is(e, 'NOT_FOUND') && /tag "v1"/.test(e.message));
    await layout.deleteManifest(a.manifest);
    assert.deepEqual(await allTags(layout), []);
    assert.equal(await layout.exists(a.manifest), false);
    await assert.rejects(layout.deleteManifest(a.manifest), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
  });

  it('refuses manifests over 4 MiB and manifests whose bytes do not match', async () => {
    const huge = artifactManifest([], { annotations: { pad: 'x'.repeat(MAX_MANIFEST_BYTES) } });
    await assert.rejects(layout.pushManifest(manifestDescriptor(huge), huge), (e: unknown) =>
      OciError.is(e, 'SIZE_EXCEEDED'),
    );
    const bytes = artifactManifest([]);
    await assert.rejects(
      layout.pushManifest({ ...manifestDescriptor(bytes), digest: digestOf('other') }, bytes, { tag: 'v1' }),
      (e: unknown) => OciError.is(e, 'DIGEST_MISMATCH'),
    );
    assert.deepEqual(await allTags(layout), []);
  });

  it('reads an index.json written without mediaType and ref.name given as a full reference', async () => {
    const a = await pushArtifact(layout, 'a');
    await fs.writeFile(
      path.join(layout.root, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ ...a.manifest, annotations: { [Annotation.refName]: 'example.com/team/app:v1.2' } }],
      }),
    );
    assert.deepEqual(await allTags(layout), [['v1.2']]);
    assert.deepEqual(await layout.resolve('v1.2'), a.manifest);
    await layout.tag(a.manifest, 'v2');
    const index = JSON.parse(await fs.readFile(path.join(layout.root, 'index.json'), 'utf8')) as ImageIndex;
    assert.equal(index.mediaType, undefined, 'keeps index.json as the other tool wrote it');
    assert.equal(index.manifests[1]?.annotations?.[Annotation.refName], 'v2');
  });

  it('turns an untagged index.json entry into the tagged one instead of listing the manifest twice', async () => {
    const a = await pushArtifact(layout, 'a');
    await fs.writeFile(
      path.join(layout.root, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [a.manifest] }),
    );
    await layout.tag(a.manifest, 'v1');
    assert.deepEqual((await layout.readIndex()).manifests, [
      { ...a.manifest, annotations: { [Annotation.refName]: 'v1' } },
    ]);
  });

  it('names the layout and the entry when index.json is broken', async () => {
    await fs.writeFile(
      path.join(layout.root, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest: 'sha256:zz', size: 1 }] }),
    );
    await assert.rejects(
      layout.resolve('v1'),
      (e: unknown) =>
        OciError.is(e, 'LAYOUT') && e.message.includes(layout.root) && /entry 0 has an invalid digest/.test(e.message),
    );
    await fs.writeFile(path.join(layout.root, 'index.json'), '{');
    await assert.rejects(layout.resolve('v1'), /index.json is not valid JSON/);
  });

  it('garbage-collects unreferenced blobs and keeps everything reachable, including referrers behind a fallback tag', async () => {
    const subject = await pushArtifact(layout, 'subject', { tag: 'v1' });
    const referrer = await pushArtifact(layout, 'signature', { subject: subject.manifest });
    const fallbackIndex = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [referrer.manifest] }),
    );
    await layout.pushManifest(manifestDescriptor(fallbackIndex, MediaType.ociIndex), fallbackIndex, {
      tag: `sha256-${subject.manifest.digest.slice(7)}`,
    });
    const orphan = await pushArtifact(layout, 'orphan', { tag: 'old' });
    await layout.untag('old');

    const dry = await layout.garbageCollect({ dryRun: true });
    assert.deepEqual(dry.removed.sort(), [orphan.layer.digest, orphan.manifest.digest].sort());
    assert.ok(await layout.exists(orphan.layer));

    const result = await layout.garbageCollect();
    assert.deepEqual(result.removed.sort(), [orphan.layer.digest, orphan.manifest.digest].sort());
    assert.equal(result.freedBytes, orphan.layer.size + orphan.manifest.size);
    for (const kept of [subject.manifest, subject.layer, referrer.manifest, referrer.layer])
      assert.ok(await layout.exists(kept), kept.digest);
    assert.equal(await layout.exists(orphan.layer), false);
    assert.deepEqual((await layout.garbageCollect()).removed, []);
  });

  it('keeps recently written unreferenced blobs within the grace period', async () => {
    const orphan = await pushArtifact(layout, 'fresh');
    assert.deepEqual((await layout.garbageCollect({ graceMs: 60_000 })).removed, []);
    assert.ok(await layout.exists(orphan.layer));
  });
});
