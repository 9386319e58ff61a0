import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { digestOf } from '../../../src/core/content/hashing';
import {
  DEFAULT_LAYER_CONTENTS_LIMITS,
  deletesFromBelow,
  isBrowsableLayer,
  layerFileName,
  layerFolders,
  layerForm,
  listLayer,
  normalisedEntryPath,
  readLayerFile,
  type BlobSource,
} from '../../../src/core/files';
import type { Descriptor } from '../../../src/core/oci/descriptor';
import { OciError } from '../../../src/core/oci/errors';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { buildTar, folderLayer, type TarEntry } from '../../helpers/tarBuilder';

/** A source that hands out `bytes` for any descriptor, unverified: the listing must check the digest itself. */
function sourceOf(bytes: Buffer): BlobSource & { fetched: number } {
  const source = {
    fetched: 0,
    async fetchBlob() {
      source.fetched += 1;
      return Readable.from([bytes]);
    },
  };
  return source;
}

async function gzipLayer(entries: TarEntry[]): Promise<{ descriptor: Descriptor; bytes: Buffer }> {
  const bytes = gzipSync(await buildTar(entries));
  return { bytes, descriptor: { mediaType: MediaType.ociLayerGzip, digest: digestOf(bytes), size: bytes.length } };
}

describe('layerContents: looking inside a tar layer without pulling it', () => {
  it('lists an image layer: paths normalised, types, sizes, links; a path listed again replaces the first', async () => {
    const { bytes, descriptor } = await gzipLayer([
      { name: './', type: 'directory' },
      { name: './etc/', type: 'directory' },
      { name: './etc/os-release', content: 'ID=demo\n' },
      { name: 'usr/bin/tool', content: 'old', mode: 0o755 },
      { name: '/usr/bin/tool', content: 'newer', mode: 0o4755 },
      { name: 'usr/bin/alias', type: 'symlink', linkname: '../../etc/os-release' },
      { name: 'usr/bin/hard', type: 'link', linkname: './usr/bin/tool' },
      { name: 'etc/.wh.motd', content: '' },
    ]);
    const listing = await listLayer(sourceOf(bytes), descriptor);
    assert.deepEqual(
      listing.entries.map((e) => [e.path, e.type, e.size, e.linkname ?? '']),
      [
        ['', 'directory', 0, ''],
        ['etc', 'directory', 0, ''],
        ['etc/os-release', 'file', 8, ''],
        ['usr/bin/tool', 'file', 5, ''],
        ['usr/bin/alias', 'symlink', 0, '../../etc/os-release'],
        ['usr/bin/hard', 'hardlink', 0, 'usr/bin/tool'],
        ['etc/.wh.motd', 'file', 0, ''],
      ],
    );
    assert.equal(listing.entries.find((e) => e.path === 'usr/bin/tool')!.mode, 0o4755);
    assert.equal(listing.expandedBytes, 13, 'the replaced entry no longer counts');
  });

  it('reads one file, a hardlink through what it names, and says what is no file or too large', async () => {
    const big = Buffer.alloc(5000, 'x');
    const { bytes, descriptor } = await gzipLayer([
      { name: 'site/', type: 'directory' },
      { name: 'site/index.html', content: '<h1>hi</h1>' },
      { name: 'site/big.bin', content: big },
      { name: 'site/same.html', type: 'link', linkname: 'site/index.html' },
      { name: 'site/up', type: 'symlink', linkname: '..' },
    ]);
    const source = sourceOf(bytes);
    const read = (p: string) => readLayerFile(source, descriptor, p, { maxFileBytes: 4096 });
    const file = await read('./site/index.html');
    assert.equal(file.kind, 'file');
    assert.equal(file.kind === 'file' && file.bytes.toString(), '<h1>hi</h1>');
    const linked = await read('site/same.html');
    assert.equal(linked.kind === 'file' && linked.bytes.toString(), '<h1>hi</h1>');
    assert.equal(linked.entry.type, 'hardlink', 'the entry is the one asked for');
    assert.equal((await read('site/big.bin')).kind, 'too large');
    assert.equal((await read('site/up')).kind, 'not a file');
    assert.equal((await read('site')).kind, 'not a file');
    await assert.rejects(read('site/missing'), (err: unknown) => {
      assert.ok(err instanceof OciError && err.code === 'NOT_FOUND');
      assert.match(err.message, /holds no entry "site\/missing"/);
      return true;
    });
  });

  it('answers nothing when the layer does not match its digest, even though the tar inside is whole', async () => {
    const { bytes, descriptor } = await gzipLayer([{ name: 'a.txt', content: 'genuine' }]);
    const forged = gzipSync(await buildTar([{ name: 'a.txt', content: 'forged!' }]));
    const lying = { ...descriptor, size: forged.length };
    await assert.rejects(listLayer(sourceOf(forged), lying), /digest|sha256/i);
    await assert.rejects(readLayerFile(sourceOf(forged), lying, 'a.txt', { maxFileBytes: 1024 }), /digest|sha256/i);
    // Trailing bytes after the gzip stream count too: the layer is its every byte.
    const padded = Buffer.concat([bytes, Buffer.from('tail')]);
    await assert.rejects(listLayer(sourceOf(padded), descriptor), /size|bytes|digest/i);
  });

  it('stops at the entry cap and at the expanded-size cap, naming the layer', async () => {
    const many = await gzipLayer(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, content: 'x' })));
    await assert.rejects(
      listLayer(sourceOf(many.bytes), many.descriptor, {
        limits: { ...DEFAULT_LAYER_CONTENTS_LIMITS, maxEntries: 20 },
      }),
      (err: unknown) => {
        assert.ok(err instanceof OciError && err.code === 'SIZE_EXCEEDED');
        assert.match(err.message, /more than 20 entries.*pull it/);
        assert.ok(err.message.includes(many.descriptor.digest));
        return true;
      },
    );
    // A gzip bomb: 64 MiB of zeros in one file compresses to ~64 KiB.
    const bomb = await gzipLayer([{ name: 'zeros', content: Buffer.alloc(64 * 1024 * 1024) }]);
    await assert.rejects(
      listLayer(sourceOf(bomb.bytes), bomb.descriptor, {
        limits: { ...DEFAULT_LAYER_CONTENTS_LIMITS, maxEntries: 10, maxExpandedBytes: 1024 * 1024 },
      }),
      /uncompressed archive/,
    );
  });

  it('counts a path listed again toward the entry cap: the archive entries are the work and the memory', async () => {
    // A layer listing one path millions of times (16 MiB of gzip) held a slot per copy and kept the tree busy for
    // minutes; its listing is one entry.
    const again = await gzipLayer(Array.from({ length: 30 }, () => ({ name: 'same', content: 'x' })));
    await assert.rejects(
      listLayer(sourceOf(again.bytes), again.descriptor, {
        limits: { ...DEFAULT_LAYER_CONTENTS_LIMITS, maxEntries: 20 },
      }),
      /more than 20 entries \(its folders and paths listed again included\).*pull it/,
    );
  });

  it('bounds what a listing keeps: names past 4096 bytes, names past the character budget, implied folders', async () => {
    // The tar parser takes pax names of up to 4 MiB: a few hundred such entries, gzipped to under a megabyte,
    // held gigabytes of names in the extension host (and four listings are kept).
    const long = await gzipLayer([{ name: `a/${'n'.repeat(5000)}`, content: '' }]);
    await assert.rejects(listLayer(sourceOf(long.bytes), long.descriptor), (err: unknown) => {
      assert.ok(err instanceof OciError && err.code === 'INVALID_CONTENT', String(err));
      assert.match(err.message, /a name longer than 4096 bytes/);
      assert.ok(err.message.length < 1000, 'the name is shortened in the message');
      return true;
    });
    const longLink = await gzipLayer([{ name: 'l', type: 'symlink', linkname: 'x'.repeat(5000) }]);
    await assert.rejects(listLayer(sourceOf(longLink.bytes), longLink.descriptor), /longer than 4096 bytes/);
    const names = await gzipLayer(
      Array.from({ length: 40 }, (_, i) => ({ name: `${i}-${'n'.repeat(4000)}`, content: '' })),
    );
    await assert.rejects(
      listLayer(sourceOf(names.bytes), names.descriptor, {
        limits: { ...DEFAULT_LAYER_CONTENTS_LIMITS, maxNameChars: 100_000 },
      }),
      /names its entries in more than 100000 characters: too much to list here/,
    );
    // One file 2,000 folders deep is 2,001 entries once shown as folders, though the archive lists one.
    const deep = await gzipLayer([{ name: `${'d/'.repeat(2000)}f`, content: 'x' }]);
    await assert.rejects(
      listLayer(sourceOf(deep.bytes), deep.descriptor, {
        limits: { ...DEFAULT_LAYER_CONTENTS_LIMITS, maxEntries: 1000 },
      }),
      /more than 1000 entries \(its folders and paths listed again included\)/,
    );
    // Folders listed after the files in them are counted once.
    const listedLate = await gzipLayer([
      { name: 'a/b/c', content: 'x' },
      { name: 'a/b/', type: 'directory' },
      { name: 'a/', type: 'directory' },
    ]);
    const limits = { ...DEFAULT_LAYER_CONTENTS_LIMITS, maxEntries: 3 };
    assert.equal((await listLayer(sourceOf(listedLate.bytes), listedLate.descriptor, { limits })).entries.length, 3);
  });

  it('a hard link naming nothing is described as no file, not a crash', async () => {
    const tarBytes = await buildTar([{ name: 'h', type: 'link', linkname: '' }]);
    const descriptor: Descriptor = { mediaType: MediaType.ociLayer, digest: digestOf(tarBytes), size: tarBytes.length };
    const found = await readLayerFile(sourceOf(tarBytes), descriptor, 'h', { maxFileBytes: 1024 });
    assert.deepEqual([found.kind, found.entry.type, found.entry.linkname], ['not a file', 'hardlink', undefined]);
  });

  it('refuses an entry whose header size is unreadable instead of waiting for its bytes forever', async () => {
    // Found by fuzzing the extraction: a size field starting with a byte above 0x7f that is no base-256 marker
    // reads as null in tar-stream, which then waits for the entry's bytes; the listing waited for ever.
    const tarBytes = await buildTar([
      { name: 'l', type: 'symlink', linkname: 'a' },
      { name: 'a', content: 'x' },
    ]);
    tarBytes[124] = 0xee;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tarBytes[i]!;
    tarBytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    const descriptor: Descriptor = { mediaType: MediaType.ociLayer, digest: digestOf(tarBytes), size: tarBytes.length };
    await assert.rejects(listLayer(sourceOf(tarBytes), descriptor), /entry "l" has an unreadable size in its header/);
    await assert.rejects(
      readLayerFile(sourceOf(tarBytes), descriptor, 'a', { maxFileBytes: 1024 }),
      /entry "l" has an unreadable size/,
    );
  });

  it('refuses what is no tar, naming the layer; a tar+gzip holding garbage is corrupt', async () => {
    const text = Buffer.from('hello');
    const plain: Descriptor = { mediaType: 'text/plain', digest: digestOf(text), size: text.length };
    assert.equal(isBrowsableLayer(plain), false);
    await assert.rejects(listLayer(sourceOf(text), plain), /is no tar archive/);
    const garbage = gzipSync(Buffer.alloc(2048, 7));
    const bad: Descriptor = { mediaType: MediaType.ociLayerGzip, digest: digestOf(garbage), size: garbage.length };
    await assert.rejects(listLayer(sourceOf(garbage), bad), /corrupt or not a tar/);
  });

  it('knows a tar by media type (OCI, Docker, Helm, Flux, ORAS folders) or, for octet-stream, by its title', async () => {
    const d = (mediaType: string, title?: string): Descriptor => ({
      mediaType,
      digest: `sha256:${'0'.repeat(64)}`,
      size: 1,
      ...(title ? { annotations: { 'org.opencontainers.image.title': title } } : {}),
    });
    for (const type of [
      MediaType.ociLayer,
      MediaType.ociLayerGzip,
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
      'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
      'application/vnd.cncf.flux.content.v1.tar+gzip',
    ])
      assert.equal(isBrowsableLayer(d(type)), true, type);
    assert.equal(isBrowsableLayer(d('application/octet-stream', 'chart-1.0.0.tgz')), true);
    assert.equal(isBrowsableLayer(d('application/octet-stream', 'backup.tar')), true);
    assert.equal(isBrowsableLayer(d('application/octet-stream', 'notes.txt')), false);
    assert.equal(isBrowsableLayer(d('application/vnd.example.thing', 'x.tgz')), false);
    assert.equal(isBrowsableLayer(d('application/vnd.cncf.helm.config.v1+json')), false);
    // ORAS gives every file the type of an uncompressed tar layer: a titled layer is the file its title names.
    assert.equal(isBrowsableLayer(d(MediaType.ociLayer, 'notes.txt')), false);
    assert.equal(isBrowsableLayer(d(MediaType.ociLayer, 'backup.tar')), true);
    assert.equal(isBrowsableLayer(d(MediaType.ociLayer, 'site.TGZ')), true);
    assert.equal(layerFileName(d(MediaType.ociLayer, 'notes.txt')), 'notes.txt');
    const folder = folderLayer('site', await buildTar([{ name: 'site/a', content: 'a' }]));
    assert.equal(isBrowsableLayer(folder.descriptor), true);
    assert.equal(layerFileName(folder.descriptor), undefined, 'an ORAS folder is unpacked, not a file');
  });

  it('layerForm: a titled layer is the file a pull writes (a titled tar too, and a tar to look into), else a tar when browsable, else opaque', () => {
    const d = (mediaType: string, title?: string): Descriptor => ({
      mediaType,
      digest: `sha256:${'0'.repeat(64)}`,
      size: 1,
      ...(title ? { annotations: { 'org.opencontainers.image.title': title } } : {}),
    });
    assert.deepEqual(layerForm(d(MediaType.ociLayer, './docs/notes.txt')), { kind: 'file', path: 'docs/notes.txt' });
    assert.deepEqual(layerForm(d(MediaType.ociLayer, 'backup.tar')), { kind: 'file', path: 'backup.tar', tar: true });
    assert.deepEqual(layerForm(d('application/zip', 'backup.tar')), { kind: 'file', path: 'backup.tar' });
    assert.deepEqual(layerForm(d(MediaType.ociLayerGzip)), { kind: 'tar' });
    assert.deepEqual(layerForm(d('application/vnd.example.thing')), { kind: 'opaque' });
    const folder = folderLayer('site', Buffer.alloc(0));
    assert.deepEqual(
      layerForm(folder.descriptor),
      { kind: 'tar' },
      'an ORAS folder is unpacked: its entries are listed',
    );
  });

  it('normalises entry paths', () => {
    assert.equal(normalisedEntryPath('./a//b/./c/'), 'a/b/c');
    assert.equal(normalisedEntryPath('/'), '');
    assert.equal(normalisedEntryPath('../x'), '../x', 'kept as a name: nothing is written from a listing');
  });
});

describe('layerFolders: a listing as folders', () => {
  it('groups entries by folder, folders first then by name, and makes up the folders the archive implies', () => {
    const folders = layerFolders({
      expandedBytes: 0,
      entries: [
        { path: '', type: 'directory', size: 0, mode: 0o755 },
        { path: 'usr/bin/zz', type: 'file', size: 1, mode: 0o644 },
        { path: 'usr/bin/aa', type: 'symlink', size: 0, mode: 0o777, linkname: 'zz' },
        { path: 'etc', type: 'directory', size: 0, mode: 0o700 },
        { path: 'README', type: 'file', size: 2, mode: 0o644 },
        { path: 'etc/hosts', type: 'file', size: 3, mode: 0o644 },
      ],
    });
    const names = (p: string) => folders.get(p)!.map((e) => `${e.path}:${e.type}`);
    assert.deepEqual(names(''), ['etc:directory', 'usr:directory', 'README:file']);
    assert.deepEqual(names('usr'), ['usr/bin:directory']);
    assert.deepEqual(names('usr/bin'), ['usr/bin/aa:symlink', 'usr/bin/zz:file']);
    assert.deepEqual(names('etc'), ['etc/hosts:file']);
    assert.equal(folders.get('')!.find((e) => e.path === 'etc')!.mode, 0o700, "the archive's own folder entry is kept");
  });
});

describe('deletesFromBelow: what an upper layer hides of the layers below (image-spec whiteouts)', () => {
  const entry = (path: string, type: 'file' | 'directory' = 'file') => ({ path, type, size: 0, mode: 0o644 });
  it('a whiteout deletes its name and all below it; an opaque marker its folder’s content; a file a folder', () => {
    assert.equal(deletesFromBelow(entry('etc/.wh.motd'), 'etc/motd'), true);
    assert.equal(deletesFromBelow(entry('etc/.wh.motd'), 'etc/motd.d/x'), false);
    assert.equal(deletesFromBelow(entry('.wh.opt'), 'opt/app/b'), true);
    assert.equal(deletesFromBelow(entry('opt/.wh..wh..opq'), 'opt/app/b'), true);
    assert.equal(deletesFromBelow(entry('opt/.wh..wh..opq'), 'optional'), false);
    assert.equal(deletesFromBelow(entry('.wh..wh..opq'), 'anything/at/all'), true);
    assert.equal(deletesFromBelow(entry('opt'), 'opt/app/b'), true, 'a file where the folder was');
    assert.equal(deletesFromBelow(entry('opt', 'directory'), 'opt/app/b'), false);
    assert.equal(deletesFromBelow(entry('etc/motd'), 'etc/motd'), false, 'the same path is found, not deleted');
  });
});
