// One file inside a layer as extracting the layer leaves it: a path listed twice is its last copy, whether read into
// memory (the editor) or streamed (`stowage files`), and a hard link is the copy of the file it was made to.
import * as assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../../src/core/content/hashing';
import { readLayerFile, streamLayeredFile, type BlobSource } from '../../../src/core/files';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { buildTar, type TarEntry } from '../../helpers/tarBuilder';

async function layerOf(entries: TarEntry[]): Promise<{ source: BlobSource; descriptor: Descriptor }> {
  const bytes = gzipSync(await buildTar(entries));
  return {
    source: { fetchBlob: async () => Readable.from([bytes]) },
    descriptor: { mediaType: MediaType.ociLayerGzip, digest: digestOf(bytes), size: bytes.length },
  };
}

/** What streamLayeredFile wrote, each sink it was given in turn. */
async function streamed(source: BlobSource, descriptor: Descriptor, path: string): Promise<string[]> {
  const sinks: string[] = [];
  await streamLayeredFile(source, [{ index: 0, descriptor }], path, async () => {
    const at = sinks.push('') - 1;
    const into = new Writable({
      write(chunk: Buffer, _encoding, done) {
        sinks[at] += chunk.toString();
        done();
      },
    });
    return { into };
  });
  return sinks;
}

describe('layerFile: a path listed more than once in one layer is its last copy, as extracting leaves it', () => {
  it('reads and streams the last copy of a file', async () => {
    const { source, descriptor } = await layerOf([
      { name: 'etc/motd', content: 'first' },
      { name: 'etc/other', content: 'x' },
      { name: './etc/motd', content: 'the last' },
    ]);
    const read = await readLayerFile(source, descriptor, 'etc/motd', { maxFileBytes: 1024 });
    assert.equal(read.kind === 'file' && read.bytes.toString(), 'the last');
    const sinks = await streamed(source, descriptor, 'etc/motd');
    assert.deepEqual(
      sinks,
      ['first', 'the last'],
      'the later copy is handed to a sink of its own, replacing the first',
    );
  });

  it('a file replaced by a folder is no file, in memory and streamed', async () => {
    const { source, descriptor } = await layerOf([
      { name: 'opt', content: 'was a file' },
      { name: 'opt/', type: 'directory' },
    ]);
    assert.equal((await readLayerFile(source, descriptor, 'opt', { maxFileBytes: 1024 })).kind, 'not a file');
    await assert.rejects(streamed(source, descriptor, 'opt'), /"opt" in layer 1 .* is a folder, not a file/);
  });

  it('a hard link is the copy of the file it was made to, not one written under that name after it', async () => {
    const { source, descriptor } = await layerOf([
      { name: 'bin/tool', content: 'old' },
      { name: 'bin/tool', content: 'linked' },
      { name: 'bin/alias', type: 'link', linkname: 'bin/tool' },
      { name: 'bin/tool', content: 'replaced after the link' },
    ]);
    const read = await readLayerFile(source, descriptor, 'bin/alias', { maxFileBytes: 1024 });
    assert.equal(read.kind === 'file' && read.bytes.toString(), 'linked');
    assert.equal(read.entry.type, 'hardlink');
    assert.deepEqual((await streamed(source, descriptor, 'bin/alias')).at(-1), 'linked');
    const tool = await readLayerFile(source, descriptor, 'bin/tool', { maxFileBytes: 1024 });
    assert.equal(tool.kind === 'file' && tool.bytes.toString(), 'replaced after the link');
  });

  it('a path that was a file and then a hard link is the file the link names', async () => {
    const { source, descriptor } = await layerOf([
      { name: 'a', content: 'target' },
      { name: 'b', content: 'b itself' },
      { name: 'b', type: 'link', linkname: 'a' },
    ]);
    const read = await readLayerFile(source, descriptor, 'b', { maxFileBytes: 1024 });
    assert.equal(read.kind === 'file' && read.bytes.toString(), 'target');
    assert.deepEqual(await streamed(source, descriptor, 'b'), ['b itself', 'target']);
  });

  it("a hard link to a file too large to show says the file's size, not the link's 0", async () => {
    const { source, descriptor } = await layerOf([
      { name: 'big', content: Buffer.alloc(5000, 'x') },
      { name: 'same', type: 'link', linkname: 'big' },
    ]);
    const read = await readLayerFile(source, descriptor, 'same', { maxFileBytes: 4096 });
    assert.deepEqual([read.kind, read.kind === 'too large' && read.size], ['too large', 5000]);
  });

  it('a folder above the path that an upper layer lists as a file and then again as a folder hides nothing below', async () => {
    // Extracting leaves the folder (its last copy), not opaque, so the lower layer's file shows through; and the
    // other way round, a folder replaced by a file hides it.
    const lower = await layerOf([{ name: 'etc/motd', content: 'from below' }]);
    const upper = await layerOf([
      { name: 'etc', content: 'a file first' },
      { name: 'etc/', type: 'directory' },
    ]);
    const replaced = await layerOf([
      { name: 'etc/', type: 'directory' },
      { name: 'etc', content: 'a file last' },
    ]);
    const both = (top: typeof upper) => ({
      fetchBlob: async (d: Descriptor) => (d.digest === top.descriptor.digest ? top : lower).source.fetchBlob(d),
    });
    const chunks: Buffer[] = [];
    const into = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const layers = (top: typeof upper) => [
      { index: 0, descriptor: lower.descriptor },
      { index: 1, descriptor: top.descriptor },
    ];
    const found = await streamLayeredFile(both(upper), layers(upper), 'etc/motd', async () => ({ into }));
    assert.equal(found.index, 0);
    assert.equal(Buffer.concat(chunks).toString(), 'from below');
    await assert.rejects(
      streamLayeredFile(both(replaced), layers(replaced), 'etc/motd', async () => ({ into })),
      /"etc\/motd" was deleted by layer 2 .*: etc hides it/,
    );
  });
});
