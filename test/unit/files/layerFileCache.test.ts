// Opening a file from inside a layer again reads the layer once: the answer is kept by layer digest and path,
// within a byte budget, the least recently used going first.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../../src/core/content/hashing';
import { LayerFileCache } from '../../../src/core/files';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { Annotation, MediaType } from '../../../src/core/oci/mediaTypes';
import { buildTar, folderLayer } from '../../helpers/tarBuilder';

describe('LayerFileCache: a file opened again is not read from its layer again', () => {
  let layer: Descriptor;
  let reads: number;
  const source = {
    fetchBlob: async () => {
      reads++;
      return Readable.from([bytes]);
    },
  };
  let bytes: Buffer;

  before(async () => {
    bytes = gzipSync(
      await buildTar([
        { name: 'etc/os-release', content: 'ID=demo\n' },
        { name: 'big', content: Buffer.alloc(3000, 'b') },
        { name: 'other', content: Buffer.alloc(3000, 'o') },
        { name: 'etc/', type: 'directory' },
      ]),
    );
    layer = { mediaType: MediaType.ociLayerGzip, digest: digestOf(bytes), size: bytes.length };
  });

  beforeEach(() => {
    reads = 0;
  });

  it('reads the layer once for the same file opened twice, and once more for another file', async () => {
    const cache = new LayerFileCache();
    const first = await cache.read(source, layer, 'etc/os-release', { maxFileBytes: 4096 });
    const again = await cache.read(source, layer, '/etc/os-release', { maxFileBytes: 4096 });
    assert.equal(reads, 1, 'the second open read the layer again');
    assert.equal(again.kind === 'file' && again.bytes.toString(), 'ID=demo\n');
    assert.deepEqual(again, first);
    // What is no file to show is kept too: its answer also cost a whole layer.
    assert.equal((await cache.read(source, layer, 'etc', { maxFileBytes: 4096 })).kind, 'not a file');
    assert.equal((await cache.read(source, layer, 'etc', { maxFileBytes: 4096 })).kind, 'not a file');
    assert.equal(reads, 2);
    // Under a smaller cap the same file is another answer ("too large"), read for itself.
    assert.equal((await cache.read(source, layer, 'big', { maxFileBytes: 1024 })).kind, 'too large');
    assert.equal((await cache.read(source, layer, 'big', { maxFileBytes: 4096 })).kind, 'file');
    assert.equal(reads, 4);
  });

  it('keeps within its byte budget, forgetting the least recently used first', async () => {
    const cache = new LayerFileCache(5000); // one of the 3000-byte files with its overhead, not two
    await cache.read(source, layer, 'big', { maxFileBytes: 4096 });
    await cache.read(source, layer, 'other', { maxFileBytes: 4096 });
    assert.equal(reads, 2);
    await cache.read(source, layer, 'other', { maxFileBytes: 4096 });
    assert.equal(reads, 2, 'the last read is kept');
    await cache.read(source, layer, 'big', { maxFileBytes: 4096 });
    assert.equal(reads, 3, 'the first was let go to keep the second');
  });

  it("charges what an answer holds besides a file's bytes: a symbolic link's target can be megabytes", async () => {
    // The tar parser takes link targets of up to 4 MiB; charged nothing, thousands of such answers fit the budget.
    const links = gzipSync(
      await buildTar([
        { name: 'l', type: 'symlink', linkname: 'x'.repeat(9000) },
        { name: 'm', type: 'symlink', linkname: 'y'.repeat(9000) },
      ]),
    );
    const linkSource = { fetchBlob: async () => ((reads += 1), Readable.from([links])) };
    const linkLayer: Descriptor = { mediaType: MediaType.ociLayerGzip, digest: digestOf(links), size: links.length };
    const cache = new LayerFileCache(30_000); // one 9000-character target (18 KB as UTF-16), not two
    await cache.read(linkSource, linkLayer, 'l', { maxFileBytes: 4096 });
    await cache.read(linkSource, linkLayer, 'm', { maxFileBytes: 4096 });
    await cache.read(linkSource, linkLayer, 'l', { maxFileBytes: 4096 });
    assert.equal(reads, 3, 'both targets were kept beyond the budget');
  });

  it('answers from what was kept only for the same media type: the same bytes read as gzip are another read', async () => {
    const tarBytes = await buildTar([{ name: 'a', content: 'plain tar' }]);
    const plainSource = { fetchBlob: async () => ((reads += 1), Readable.from([tarBytes])) };
    const plain: Descriptor = { mediaType: MediaType.ociLayer, digest: digestOf(tarBytes), size: tarBytes.length };
    const cache = new LayerFileCache();
    assert.equal((await cache.read(plainSource, plain, 'a', { maxFileBytes: 4096 })).kind, 'file');
    const claimedGzip = { ...plain, mediaType: MediaType.ociLayerGzip };
    await assert.rejects(cache.read(plainSource, claimedGzip, 'a', { maxFileBytes: 4096 }), /corrupt or not a tar/);
    assert.equal(reads, 2);
  });

  it('answers from what was kept only for a layer read the same way: an ORAS folder named again without its unpack mark is no tar', async () => {
    // The unpack annotation decides whether a titled layer is a folder (a tar) or a file a pull writes as it is:
    // same digest, type and title, and still not the same read.
    const folder = folderLayer('dir', await buildTar([{ name: 'a', content: 'in the folder' }]));
    const folderSource = { fetchBlob: async () => ((reads += 1), Readable.from([folder.bytes])) };
    const cache = new LayerFileCache();
    const opened = await cache.read(folderSource, folder.descriptor, 'a', { maxFileBytes: 4096 });
    assert.equal(opened.kind === 'file' && opened.bytes.toString(), 'in the folder');
    const { [Annotation.orasUnpack]: _unpack, ...rest } = folder.descriptor.annotations!;
    const asFile: Descriptor = { ...folder.descriptor, annotations: rest };
    await assert.rejects(cache.read(folderSource, asFile, 'a', { maxFileBytes: 4096 }), /no tar archive/);
  });

  it('keeps nothing of a read that failed: the next open tries again', async () => {
    const cache = new LayerFileCache();
    const lying = { ...layer, digest: digestOf(Buffer.from('something else')) };
    await assert.rejects(cache.read(source, lying, 'etc/os-release', { maxFileBytes: 4096 }), /digest/);
    await assert.rejects(cache.read(source, lying, 'etc/os-release', { maxFileBytes: 4096 }), /digest/);
    assert.equal(reads, 2);
  });
});
