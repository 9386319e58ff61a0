// One file inside a layer as extracting the layer leaves it: a path listed twice is its last copy, whether read into
// memory (the editor) or streamed (`stowage files`), and a hard link is the copy of the file it was made to.
import * as assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../../src/core/content/hashing';
import { listLayer, readLayerFile, streamLayeredFile, type BlobSource } from '../../../src/core/files';
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
    // Only that copy is handed on: printed, nothing earlier is out that a later copy would have to take back.
    assert.deepEqual(await streamed(source, descriptor, 'bin/alias'), ['linked']);
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

  it('a folder above the path that an upper layer lists as a file, then again as a folder, hides what is below', async () => {
    // Extracting removes what is at a path unless both are folders: the file removes the lower layer's folder and
    // all it held, and the folder listed after it is made anew, empty. The other way round, the file hides it too.
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
    await assert.rejects(
      streamLayeredFile(both(upper), layers(upper), 'etc/motd', async () => ({ into })),
      /"etc\/motd" was deleted by layer 2 .*: etc hides it/,
    );
    assert.equal(Buffer.concat(chunks).toString(), '');
    await assert.rejects(
      streamLayeredFile(both(replaced), layers(replaced), 'etc/motd', async () => ({ into })),
      /"etc\/motd" was deleted by layer 2 .*: etc hides it/,
    );
  });

  it('a hard link to a whiteout says the file it names is deleted, not an empty file', async () => {
    const { source, descriptor } = await layerOf([
      { name: 'bin/.wh.tool', content: '' },
      { name: 'bin/alias', type: 'link', linkname: 'bin/.wh.tool' },
      { name: 'bin/.wh.gone', content: '' },
      { name: 'bin/other', type: 'link', linkname: 'bin/gone' },
    ]);
    const read = await readLayerFile(source, descriptor, 'bin/alias', { maxFileBytes: 1024 });
    assert.deepEqual([read.kind, read.kind === 'not a file' && read.deletedBy], ['not a file', 'bin/.wh.tool']);
    await assert.rejects(
      streamed(source, descriptor, 'bin/alias'),
      /"bin\/alias" in layer 1 .* is a hard link to "bin\/.wh.tool", which layer 1 .* deletes \(bin\/.wh.tool is a whiteout/,
    );
    // A link to a name the layer whites out (and never lists as a file) says the same.
    await assert.rejects(
      streamed(source, descriptor, 'bin/other'),
      /"bin\/gone", which layer 1 .* deletes \(bin\/.wh.gone/,
    );
  });

  it('what lies under a folder a later entry of the same layer replaces with a file is gone, listed and looked up', async () => {
    const { source, descriptor } = await layerOf([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0' },
      { name: 'etc/sub/', type: 'directory' },
      { name: 'etc/sub/deep', content: 'deep' },
      { name: 'etc', content: 'a file now' },
      { name: 'opt/', type: 'directory' },
      { name: 'opt/old', content: 'old' },
      { name: 'opt', type: 'symlink', linkname: 'elsewhere' },
      { name: 'opt/', type: 'directory' },
      { name: 'opt/new', content: 'new' },
      { name: 'link-to-passwd', type: 'link', linkname: 'etc/passwd' },
    ]);
    const { entries, expandedBytes } = await listLayer(source, descriptor);
    assert.deepEqual(
      entries.map((e) => `${e.type} ${e.path}`),
      ['file etc', 'directory opt', 'file opt/new', 'hardlink link-to-passwd'],
    );
    assert.equal(expandedBytes, 'a file now'.length + 'new'.length);
    await assert.rejects(
      readLayerFile(source, descriptor, 'etc/passwd', { maxFileBytes: 1024 }),
      /holds no entry "etc\/passwd"/,
    );
    await assert.rejects(
      streamed(source, descriptor, 'etc/sub/deep'),
      /"etc\/sub\/deep" was deleted by layer 1 .*: etc hides it/,
    );
    await assert.rejects(streamed(source, descriptor, 'opt/old'), /was deleted by layer 1 .*: opt hides it/);
    assert.deepEqual(await streamed(source, descriptor, 'opt/new'), ['new']);
    // The file the link was made to went with its folder before the link: extracting has nothing to link to.
    assert.equal(
      (await readLayerFile(source, descriptor, 'link-to-passwd', { maxFileBytes: 1024 })).kind,
      'not a file',
    );
  });

  it('a path listed thousands of times as a hard link to a 4 KiB name is looked up in time that grows with the names', async () => {
    const count = 2500;
    const timed = async (linkname: string) => {
      const { source, descriptor } = await layerOf([
        { name: linkname, content: 'linked' },
        ...Array.from({ length: count }, () => ({ name: 'etc/passwd', type: 'link' as const, linkname })),
      ]);
      const started = Date.now();
      const found = await readLayerFile(source, descriptor, 'etc/passwd', { maxFileBytes: 1024 });
      assert.deepEqual(found.kind === 'file' && found.bytes.toString(), 'linked');
      return Date.now() - started;
    };
    const flat = await timed('f'.repeat(4000));
    // Before, each link looked up every folder above its name: minutes here, against well under a second.
    const deep = await timed(`${'a/'.repeat(2000)}x`);
    assert.ok(deep < 5 * flat + 2000, `${deep} ms deep, ${flat} ms flat`);
  }).timeout(120_000);
});
