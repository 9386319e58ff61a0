// The file system an image's layers make together, as extraction leaves it: whiteouts (a path, a folder's content),
// paths replaced by later layers, files and folders replacing each other, titled file layers; a layer both sides of
// a comparison share is read once.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../../src/core/content/hashing';
import { SharedLayerReads, listLayer, MAX_MERGED_TAR_LAYERS, mergedFiles } from '../../../src/core/files';
import { OciError } from '../../../src/core/oci/errors';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { Annotation, MediaType } from '../../../src/core/oci/mediaTypes';
import { buildTar, type TarEntry } from '../../helpers/tarBuilder';

class Blobs {
  readonly reads: string[] = [];
  private readonly bytes = new Map<string, Buffer>();

  async layer(entries: TarEntry[]): Promise<Descriptor> {
    const bytes = gzipSync(await buildTar(entries));
    const descriptor = { mediaType: MediaType.ociLayerGzip, digest: digestOf(bytes), size: bytes.length };
    this.bytes.set(descriptor.digest, bytes);
    return descriptor;
  }

  fetchBlob = async (descriptor: Descriptor) => {
    this.reads.push(descriptor.digest);
    return Readable.from([this.bytes.get(descriptor.digest)!]);
  };
}

async function merged(blobs: Blobs, layers: Descriptor[]): Promise<Record<string, string>> {
  const files = await mergedFiles(blobs, layers, new SharedLayerReads(new Set()));
  return Object.fromEntries(
    [...files.entries.values()].map((e) => [e.path, `${e.type}@${e.layer}${e.contentDigest ? ` ${e.size}` : ''}`]),
  );
}

describe('mergedFiles: the file system layers make, as extraction leaves it', () => {
  it('applies whiteouts of a path and of a folder’s content to the layers below only', async () => {
    const blobs = new Blobs();
    const bottom = await blobs.layer([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/keep', content: 'k' },
      { name: 'etc/gone', content: 'g' },
      { name: 'var/', type: 'directory' },
      { name: 'var/cache/', type: 'directory' },
      { name: 'var/cache/a', content: 'a' },
      { name: 'opt/', type: 'directory' },
      { name: 'opt/old', content: 'old' },
    ]);
    const top = await blobs.layer([
      { name: 'etc/.wh.gone', content: '' },
      { name: 'var/.wh.cache', content: '' },
      { name: 'opt/.wh..wh..opq', content: '' },
      { name: 'opt/new', content: 'new!' },
    ]);
    assert.deepEqual(await merged(blobs, [bottom, top]), {
      etc: 'directory@1',
      'etc/keep': 'file@1 1',
      var: 'directory@1',
      opt: 'directory@1',
      'opt/new': 'file@2 4',
    });
  });

  it('a file where a folder was removes the folder’s content; a folder where a file was removes the file', async () => {
    const blobs = new Blobs();
    const bottom = await blobs.layer([
      { name: 'a/', type: 'directory' },
      { name: 'a/inside', content: 'x' },
      { name: 'b', content: 'was a file' },
    ]);
    const top = await blobs.layer([
      { name: 'a', content: 'now a file' },
      { name: 'b/c', content: 'under a folder now' },
    ]);
    assert.deepEqual(await merged(blobs, [bottom, top]), { a: 'file@2 10', 'b/c': 'file@2 18' });
  });

  it('hashes each file’s content, and a titled layer is a file at its title with the layer’s digest', async () => {
    const blobs = new Blobs();
    const layer = await blobs.layer([{ name: 'x', content: 'same size 1' }]);
    const other = await blobs.layer([{ name: 'x', content: 'same size 2' }]);
    const [a] = [...(await mergedFiles(blobs, [layer], new SharedLayerReads(new Set()))).entries.values()];
    const [b] = [...(await mergedFiles(blobs, [other], new SharedLayerReads(new Set()))).entries.values()];
    assert.equal(a!.size, b!.size);
    assert.equal(a!.contentDigest, digestOf(Buffer.from('same size 1')));
    assert.notEqual(a!.contentDigest, b!.contentDigest);
    const titled: Descriptor = {
      mediaType: 'text/plain',
      digest: digestOf(Buffer.from('hi')),
      size: 2,
      annotations: { [Annotation.title]: 'docs/readme.txt' },
    };
    const files = await mergedFiles(blobs, [titled], new SharedLayerReads(new Set()));
    assert.deepEqual(files.entries.get('docs/readme.txt')?.contentDigest, titled.digest);
    assert.equal(blobs.reads.includes(titled.digest), false, 'a titled file is not read: its digest is its content’s');
    const opaque: Descriptor = { mediaType: 'application/vnd.example.bin', digest: titled.digest, size: 2 };
    assert.deepEqual((await mergedFiles(blobs, [opaque], new SharedLayerReads(new Set()))).unread, [1]);
  });

  it('reads a layer both sides share once', async () => {
    const blobs = new Blobs();
    const base = await blobs.layer([{ name: 'base', content: 'b' }]);
    const one = await blobs.layer([{ name: 'one', content: '1' }]);
    const two = await blobs.layer([{ name: 'two', content: '2' }]);
    const listings = new SharedLayerReads(new Set([base.digest]));
    await mergedFiles(blobs, [base, one], listings);
    await mergedFiles(blobs, [base, two], listings);
    assert.deepEqual(blobs.reads, [base.digest, one.digest, two.digest]);
  });

  it('a file where a folder was only implied (its files listed without it) removes what the folder held', async () => {
    const blobs = new Blobs();
    const bottom = await blobs.layer([{ name: 'x/y/z', content: 'z' }]);
    const top = await blobs.layer([{ name: 'x', content: 'now a file' }]);
    assert.deepEqual(await merged(blobs, [bottom, top]), { x: 'file@2 10' });
    // Whiteouts and folders made again still work on such folders.
    const again = await blobs.layer([{ name: 'x/y/w', content: 'w' }]);
    assert.deepEqual(await merged(blobs, [bottom, top, again]), { 'x/y/w': 'file@3 1' });
  });

  it('lists and merges paths 2,000 folders deep in time that grows with their names, not with depth squared', async () => {
    // Paths near the 4 KiB cap with no folder listed: every folder above every file is one the archive implies.
    const count = 2500;
    const timed = async (name: (i: number) => string) => {
      const blobs = new Blobs();
      const layer = await blobs.layer(Array.from({ length: count }, (_, i) => ({ name: name(i), content: '' })));
      let started = Date.now();
      assert.equal((await listLayer(blobs, layer)).entries.length, count);
      const listing = Date.now() - started;
      started = Date.now();
      assert.equal((await mergedFiles(blobs, [layer], new SharedLayerReads(new Set()))).entries.size, count);
      return { listing, merging: Date.now() - started };
    };
    const flat = await timed((i) => `${'f'.repeat(4000)}${i}`);
    const deep = await timed((i) => `${'a/'.repeat(2000)}${i}`);
    // Before, each deep path looked up its every folder by name: ~10 s for each here, against well under one.
    assert.ok(deep.listing < 5 * flat.listing + 2000, `listing: ${deep.listing} ms deep, ${flat.listing} ms flat`);
    assert.ok(deep.merging < 5 * flat.merging + 2000, `merging: ${deep.merging} ms deep, ${flat.merging} ms flat`);
  }).timeout(120_000);
  it('reads a layer a hostile manifest names many times once, and refuses more tar layers than any runtime stacks', async () => {
    const blobs = new Blobs();
    const base = await blobs.layer([{ name: 'a', content: 'a' }]);
    const top = await blobs.layer([
      { name: 'b', content: 'b' },
      { name: '.wh.a', content: '' },
    ]);
    // base, top, base again: a is back (the third layer puts it again), read once all the same.
    assert.deepEqual(await merged(blobs, [base, top, base, top, base]), { a: 'file@5 1', b: 'file@4 1' });
    assert.deepEqual(blobs.reads.sort(), [base.digest, top.digest].sort());

    blobs.reads.length = 0;
    await assert.rejects(
      merged(
        blobs,
        Array.from({ length: MAX_MERGED_TAR_LAYERS + 1 }, () => base),
      ),
      (err: unknown) => OciError.is(err, 'SIZE_EXCEEDED') && /1001 tar layers, more than the 1000/.test(String(err)),
    );
    assert.deepEqual(blobs.reads, [], 'nothing is read before the refusal');
  });
});
