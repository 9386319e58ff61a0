import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Descriptor, ImageManifest } from '../../../src/core/oci/descriptor';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError, OutputExistsError } from '../../../src/core/oci/errors';
import { buildArtifactManifest, packFiles, planPull, pullFiles, type BlobSource } from '../../../src/core/files';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { Annotation, MediaType } from '../../../src/core/oci/mediaTypes';
import { buildTar, folderLayer, type TarEntry } from '../../helpers/tarBuilder';

/** Everything under `dir` (relative path → content or link target), to prove a folder did not change. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    const rel = path.relative(dir, full);
    if (entry.isSymbolicLink()) out[rel] = `-> ${await fs.readlink(full)}`;
    else if (entry.isFile()) out[rel] = await fs.readFile(full, 'utf8');
    else out[rel] = '<dir>';
  }
  return out;
}

function blobSource(blobs: Map<string, Buffer>): BlobSource {
  return {
    async fetchBlob(descriptor) {
      const bytes = blobs.get(descriptor.digest);
      if (!bytes) throw new Error(`no blob ${descriptor.digest}`);
      return Readable.from([bytes]);
    },
  };
}

function manifestOf(layers: Descriptor[]): ImageManifest {
  return buildArtifactManifest({ layers, created: false }).manifest;
}

function fileLayer(title: string, content: string): { descriptor: Descriptor; bytes: Buffer } {
  const bytes = Buffer.from(content);
  return {
    bytes,
    descriptor: {
      mediaType: MediaType.ociLayer,
      digest: digestOf(bytes),
      size: bytes.length,
      annotations: { [Annotation.title]: title },
    },
  };
}

describe('pullFiles', () => {
  let root: string;
  let target: string;
  let outside: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-pull-'));
    target = path.join(root, 'target');
    outside = path.join(root, 'outside');
    await fs.mkdir(target);
    await fs.mkdir(outside);
    await fs.writeFile(path.join(target, 'existing.txt'), 'keep me');
    await fs.writeFile(path.join(outside, 'secret'), 'untouched');
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  /** Runs a pull that must be refused and proves nothing changed in or beside the target. */
  async function assertRefused(
    layers: { descriptor: Descriptor; bytes: Buffer }[],
    message: RegExp,
    code?: string,
    options = {},
  ): Promise<void> {
    const before = await snapshot(root);
    const blobs = new Map(layers.map((l) => [l.descriptor.digest, l.bytes]));
    await assert.rejects(
      pullFiles(manifestOf(layers.map((l) => l.descriptor)), blobSource(blobs), target, options),
      (e: unknown) => {
        assert.ok(e instanceof Error && message.test(e.message), `unexpected error: ${(e as Error).message}`);
        if (code) assert.ok(OciError.is(e, code as never), `expected code ${code}, got ${(e as OciError).code}`);
        return true;
      },
    );
    assert.deepEqual(await snapshot(root), before, 'target, its parent and the outside folder are unchanged');
  }

  it('pulls a folder larger than two reads of a layout, of bytes gzip cannot shrink, from that layout', async () => {
    // A layout is read 1 MiB at a time: the gzip ratio guard once counted a chunk waiting at the decompressor as
    // read, and refused every honest folder layer past 2 MiB ("2097152 bytes of it unpack to 16384 bytes").
    const source = path.join(root, 'src');
    await fs.mkdir(path.join(source, 'site'), { recursive: true });
    await fs.writeFile(path.join(source, 'site', 'photo.jpg'), randomBytes(5 * 1024 * 1024));
    await fs.writeFile(path.join(source, 'site', 'zeros.log'), Buffer.alloc(3 * 1024 * 1024));
    const packed = await packFiles([path.join(source, 'site')]);
    const layout = await LayoutTarget.open(path.join(root, 'layout'), { create: true });
    try {
      for (const layer of packed.layers) await layout.pushBlob(layer.descriptor, layer.content);
      const built = buildArtifactManifest({ layers: packed.layers.map((l) => l.descriptor) });
      await layout.pushBlob(built.config.descriptor, built.config.content);
      await layout.pushManifest(built.descriptor, built.bytes, { tag: 'v1' });
    } finally {
      await packed.cleanup();
    }
    const { manifest } = await layout.fetchManifest('v1');
    const result = await pullFiles(manifest, layout, target);
    assert.equal(result.bytesWritten, 8 * 1024 * 1024);
    assert.deepEqual(
      await fs.readFile(path.join(target, 'site', 'photo.jpg')),
      await fs.readFile(path.join(source, 'site', 'photo.jpg')),
    );
  });

  it('round-trips files and a folder through a layout, bytes and links equal', async () => {
    const source = path.join(root, 'src');
    await fs.mkdir(path.join(source, 'docs', 'img'), { recursive: true });
    await fs.writeFile(path.join(source, 'docs', 'index.md'), '# hello');
    await fs.writeFile(path.join(source, 'docs', 'img', 'logo.bin'), Buffer.from([0, 1, 2, 255]));
    await fs.symlink('index.md', path.join(source, 'docs', 'home.md'));
    await fs.writeFile(path.join(source, 'notes.txt'), 'plain file');
    const packed = await packFiles([path.join(source, 'notes.txt'), path.join(source, 'docs')]);
    const layout = await LayoutTarget.open(path.join(root, 'layout'), { create: true });
    try {
      for (const layer of packed.layers) await layout.pushBlob(layer.descriptor, layer.content);
      const built = buildArtifactManifest({
        layers: packed.layers.map((l) => l.descriptor),
        artifactType: 'application/vnd.example.files',
      });
      await layout.pushBlob(built.config.descriptor, built.config.content);
      await layout.pushManifest(built.descriptor, built.bytes, { tag: 'v1' });
    } finally {
      await packed.cleanup();
    }

    const { manifest } = await layout.fetchManifest('v1');
    const plan = await planPull(manifest, target);
    assert.deepEqual(
      plan.outputs.map((o) => [o.title, o.unpack, o.conflict]),
      [
        ['notes.txt', false, false],
        ['docs', true, false],
      ],
    );
    const result = await pullFiles(manifest, layout, target);
    assert.equal(result.bytesWritten, 'plain file'.length + '# hello'.length + 4);
    assert.deepEqual(await snapshot(target), {
      'existing.txt': 'keep me',
      'notes.txt': 'plain file',
      docs: '<dir>',
      'docs/index.md': '# hello',
      'docs/home.md': '-> index.md',
      'docs/img': '<dir>',
      'docs/img/logo.bin': Buffer.from([0, 1, 2, 255]).toString('utf8'),
    });
    assert.deepEqual((await fs.readdir(root)).sort(), ['layout', 'outside', 'src', 'target'], 'no staging folder left');
  });

  it('refuses a target that is a file, naming it, before anything is fetched', async () => {
    const layer = fileLayer('a.txt', 'A');
    const file = path.join(target, 'existing.txt');
    await assert.rejects(
      pullFiles(manifestOf([layer.descriptor]), blobSource(new Map()), file),
      (e: unknown) =>
        OciError.is(e, 'USAGE') &&
        (e as Error).message === `${file} is not a folder: pull into a folder (a new one is made)`,
    );
  });

  it('creates a missing target and skips untitled layers', async () => {
    const titled = fileLayer('a.txt', 'A');
    const untitled = {
      ...fileLayer('x', 'X'),
      descriptor: { mediaType: MediaType.ociLayer, digest: digestOf('X'), size: 1 },
    };
    const fresh = path.join(root, 'new', 'deeper');
    const blobs = new Map([[titled.descriptor.digest, titled.bytes]]);
    const manifest = manifestOf([titled.descriptor, untitled.descriptor]);
    assert.deepEqual((await planPull(manifest, fresh)).untitled, [untitled.descriptor]);
    await pullFiles(manifest, blobSource(blobs), fresh);
    assert.deepEqual(await snapshot(fresh), { 'a.txt': 'A' });
  });

  it('reports conflicts before writing and replaces existing files only with overwrite', async () => {
    const layer = fileLayer('existing.txt', 'new content');
    const manifest = manifestOf([layer.descriptor]);
    const plan = await planPull(manifest, target);
    assert.deepEqual(
      plan.conflicts.map((c) => c.title),
      ['existing.txt'],
    );
    await assertRefused([layer], /1 output already exists in .*: "existing.txt" \(nothing written\)$/, 'CONFLICT');
    await pullFiles(manifest, blobSource(new Map([[layer.descriptor.digest, layer.bytes]])), target, {
      overwrite: true,
    });
    assert.equal(await fs.readFile(path.join(target, 'existing.txt'), 'utf8'), 'new content');
  });

  it("leaves a file that already holds the layer's bytes alone: a pull again succeeds without downloading it", async () => {
    const same = fileLayer('existing.txt', 'keep me');
    const fresh = fileLayer('new.txt', 'fresh');
    const manifest = manifestOf([same.descriptor, fresh.descriptor]);
    const before = await fs.stat(path.join(target, 'existing.txt'));
    const plan = await planPull(manifest, target);
    assert.deepEqual(
      plan.outputs.map((o) => [o.title, o.conflict, o.unchanged]),
      [
        ['existing.txt', false, true],
        ['new.txt', false, false],
      ],
    );
    assert.equal(plan.totalBytes, 'fresh'.length, 'only what is missing is to be downloaded');
    const fetched: string[] = [];
    const source: BlobSource = {
      async fetchBlob(descriptor) {
        fetched.push(descriptor.digest);
        return Readable.from([fresh.bytes]);
      },
    };
    const progress: object[] = [];
    const result = await pullFiles(manifest, source, target, { onProgress: (p) => progress.push({ ...p }) });
    assert.deepEqual(fetched, [fresh.descriptor.digest], 'the unchanged file is not downloaded');
    assert.equal(result.bytesWritten, 'fresh'.length);
    assert.deepEqual(
      result.outputs.map((o) => [o.title, o.unchanged]),
      [
        ['existing.txt', true],
        ['new.txt', false],
      ],
    );
    assert.deepEqual(progress.at(-1), { totalBytes: 5, doneBytes: 5, totalItems: 2, doneItems: 2, skippedItems: 1 });
    const after = await fs.stat(path.join(target, 'existing.txt'));
    assert.equal(after.ino, before.ino, 'the same file, not a replaced copy');
    assert.equal(after.mtimeMs, before.mtimeMs);

    // Everything there already: nothing is fetched, nothing staged.
    fetched.length = 0;
    const again = await pullFiles(manifest, source, target);
    assert.deepEqual(fetched, []);
    assert.equal(again.bytesWritten, 0);
    assert.deepEqual((await fs.readdir(root)).sort(), ['outside', 'target'], 'no staging folder left');
  });

  it('leaves a folder equal to what its layer unpacks to alone, and refuses one that differs, changing nothing', async () => {
    const folder = folderLayer(
      'site',
      await buildTar([
        { name: 'site/', type: 'directory' },
        { name: 'site/index.html', content: '<h1>hi</h1>' },
        { name: 'site/assets/', type: 'directory' },
        { name: 'site/assets/app.js', content: 'go()' },
        { name: 'site/home.html', type: 'symlink', linkname: 'index.html' },
      ]),
    );
    const manifest = manifestOf([folder.descriptor]);
    const source = blobSource(new Map([[folder.descriptor.digest, folder.bytes]]));
    await pullFiles(manifest, source, target);
    const before = await fs.stat(path.join(target, 'site', 'index.html'));

    const again = await pullFiles(manifest, source, target);
    assert.deepEqual(
      again.outputs.map((o) => [o.title, o.unchanged, o.conflict]),
      [['site', true, false]],
    );
    assert.equal(again.bytesWritten, 0, 'an unchanged folder counts no bytes written');
    assert.equal((await fs.stat(path.join(target, 'site', 'index.html'))).ino, before.ino, 'left as it was');
    await pullFiles(manifest, source, target, { overwrite: true });
    assert.equal((await fs.stat(path.join(target, 'site', 'index.html'))).ino, before.ino, 'with overwrite too');
    assert.deepEqual((await fs.readdir(root)).sort(), ['outside', 'target'], 'no staging folder left');

    // Files of one's own beside what the artifact holds are no difference: nothing to write.
    await fs.writeFile(path.join(target, 'site', 'extra.txt'), 'mine');
    const besideMine = await pullFiles(manifest, source, target);
    assert.equal(besideMine.outputs[0]!.unchanged, true);
    assert.equal(await fs.readFile(path.join(target, 'site', 'extra.txt'), 'utf8'), 'mine');

    for (const change of [
      () => fs.writeFile(path.join(target, 'site', 'assets', 'app.js'), 'go!!'),
      async () => {
        await fs.rm(path.join(target, 'site', 'home.html'));
        await fs.symlink('assets/app.js', path.join(target, 'site', 'home.html'));
      },
      async () => {
        await fs.rm(path.join(target, 'site', 'assets'), { recursive: true });
        await fs.writeFile(path.join(target, 'site', 'assets'), 'a file where the folder was');
      },
    ]) {
      await fs.rm(path.join(target, 'site'), { recursive: true });
      await pullFiles(manifest, source, target);
      await fs.mkdir(path.join(target, 'site', 'mine'));
      await fs.writeFile(path.join(target, 'site', 'mine', 'notes.txt'), 'mine');
      await change();
      await assertRefused(
        [folder],
        /1 output already exists .*"site" \(they differ from what the artifact holds; nothing written/,
        'CONFLICT',
      );
      // Overwrite unpacks over the folder, as ORAS does: what the artifact holds is replaced, the user's files stay.
      const replaced = await pullFiles(manifest, source, target, { overwrite: true });
      assert.equal(replaced.outputs[0]!.unchanged, false);
      assert.equal(
        await fs.readFile(path.join(target, 'site', 'assets', 'app.js'), 'utf8'),
        'go()',
        'overwrite replaces it',
      );
      assert.equal(await fs.readlink(path.join(target, 'site', 'home.html')), 'index.html');
      assert.equal(await fs.readFile(path.join(target, 'site', 'mine', 'notes.txt'), 'utf8'), 'mine', 'kept');
      assert.deepEqual((await fs.readdir(root)).sort(), ['outside', 'target'], 'no staging folder left');
    }
  });

  it('counts what it wrote apart from what was there alike and kept: a file, and files of a folder merged into', async () => {
    const folder = folderLayer(
      'site',
      await buildTar([
        { name: 'site/', type: 'directory' },
        { name: 'site/same.txt', content: 'same bytes' },
        { name: 'site/new.txt', content: 'new!' },
      ]),
    );
    const file = fileLayer('notes.txt', 'plain file');
    const manifest = manifestOf([file.descriptor, folder.descriptor]);
    const source = blobSource(
      new Map([
        [folder.descriptor.digest, folder.bytes],
        [file.descriptor.digest, file.bytes],
      ]),
    );
    await fs.writeFile(path.join(target, 'notes.txt'), 'plain file');
    await fs.mkdir(path.join(target, 'site'));
    await fs.writeFile(path.join(target, 'site', 'same.txt'), 'same bytes');
    await fs.writeFile(path.join(target, 'site', 'new.txt'), 'old');
    const sameBefore = await fs.stat(path.join(target, 'site', 'same.txt'));
    const result = await pullFiles(manifest, source, target, { overwrite: true });
    assert.deepEqual(
      [result.bytesWritten, result.bytesKept],
      ['new!'.length, 'plain file'.length + 'same bytes'.length],
      'only new.txt was written; notes.txt and site/same.txt were there alike',
    );
    assert.equal(await fs.readFile(path.join(target, 'site', 'new.txt'), 'utf8'), 'new!');
    assert.equal((await fs.stat(path.join(target, 'site', 'same.txt'))).ino, sameBefore.ino, 'kept, not replaced');
  });

  it('puts a merged folder back as it was when the overwrite fails part way', async () => {
    const folder = folderLayer(
      'site',
      await buildTar([
        { name: 'site/', type: 'directory' },
        { name: 'site/a.txt', content: 'new a' },
        { name: 'site/b/', type: 'directory' },
        { name: 'site/b/c.txt', content: 'new c' },
      ]),
    );
    const manifest = manifestOf([folder.descriptor]);
    const source = blobSource(new Map([[folder.descriptor.digest, folder.bytes]]));
    await fs.mkdir(path.join(target, 'site', 'b'), { recursive: true });
    await fs.writeFile(path.join(target, 'site', 'a.txt'), 'old a');
    await fs.writeFile(path.join(target, 'site', 'b', 'c.txt'), 'old c');
    await fs.writeFile(path.join(target, 'site', 'mine.txt'), 'mine');
    // The second file fails to move into place (a fault a real disk gives only by chance: injected). A file moves
    // in as a link to its new name (which fails on a taken name) before its staged name goes.
    const link = fs.link;
    const failing = path.join(target, 'site', 'b', 'c.txt');
    let failed = false;
    fs.link = async (from, to) => {
      // Once, when the new file moves in (its old one already moved aside): the rollback's move succeeds.
      if (to === failing && !failed && !String(from).includes(`${path.sep}replaced${path.sep}`)) {
        failed = true;
        throw Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' });
      }
      return link(from, to);
    };
    try {
      await assert.rejects(pullFiles(manifest, source, target, { overwrite: true }), /EIO/);
    } finally {
      fs.link = link;
    }
    assert.equal(await fs.readFile(path.join(target, 'site', 'a.txt'), 'utf8'), 'old a', 'put back');
    assert.equal(await fs.readFile(path.join(target, 'site', 'b', 'c.txt'), 'utf8'), 'old c');
    assert.equal(await fs.readFile(path.join(target, 'site', 'mine.txt'), 'utf8'), 'mine');
    assert.deepEqual((await fs.readdir(path.join(target, 'site'))).sort(), ['a.txt', 'b', 'mine.txt']);
    assert.deepEqual((await fs.readdir(root)).sort(), ['outside', 'target'], 'no staging folder left');
  });

  it('keeps a user file the rollback cannot put back beside its place, and names it in the error', async () => {
    const folder = folderLayer(
      'site',
      await buildTar([
        { name: 'site/', type: 'directory' },
        { name: 'site/a.txt', content: 'new a' },
        { name: 'site/b.txt', content: 'new b' },
      ]),
    );
    const manifest = manifestOf([folder.descriptor]);
    const source = blobSource(new Map([[folder.descriptor.digest, folder.bytes]]));
    await fs.mkdir(path.join(target, 'site'), { recursive: true });
    await fs.writeFile(path.join(target, 'site', 'a.txt'), 'old a');
    await fs.writeFile(path.join(target, 'site', 'b.txt'), 'old b');
    // b.txt fails to move in; then a.txt's old bytes fail to move back (faults injected, once each: moving back
    // links the file to its old name, so that nothing made there meanwhile is replaced).
    const link = fs.link;
    const [a, b] = [path.join(target, 'site', 'a.txt'), path.join(target, 'site', 'b.txt')];
    const aside = `${path.sep}replaced${path.sep}`;
    const failed = new Set<string>();
    const failOnce = (to: unknown, call: string) => {
      if (failed.has(String(to))) return;
      failed.add(String(to));
      throw Object.assign(new Error(`EIO: i/o error, ${call}`), { code: 'EIO' });
    };
    fs.link = async (from, to) => {
      if (to === b && !String(from).includes(aside)) failOnce(to, 'link');
      if (to === a && String(from).includes(aside)) failOnce(to, 'link');
      return link(from, to);
    };
    try {
      await assert.rejects(
        pullFiles(manifest, source, target, { overwrite: true }),
        (err: Error) =>
          /EIO.*undoing the pull, one of your files could not go back/.test(err.message) &&
          err.message.includes(`"${a}" is now "${a}.stowage-kept"`),
      );
    } finally {
      fs.link = link;
    }
    assert.equal(await fs.readFile(`${a}.stowage-kept`, 'utf8'), 'old a', 'kept, not removed with the staging folder');
    assert.equal(await fs.readFile(b, 'utf8'), 'old b', 'put back');
    assert.deepEqual((await fs.readdir(root)).sort(), ['outside', 'target'], 'no staging folder left');
  });

  it('undoing a pull keeps the files someone added into the folders it made meanwhile, and names them', async () => {
    const site = folderLayer(
      'site',
      await buildTar([
        { name: 'site/', type: 'directory' },
        { name: 'site/a.txt', content: 'pulled a' },
        { name: 'site/sub/', type: 'directory' },
        { name: 'site/sub/b.txt', content: 'pulled b' },
      ]),
    );
    const late = fileLayer('deep/late.txt', 'late');
    const manifest = manifestOf([site.descriptor, late.descriptor]);
    const source = blobSource(
      new Map([
        [site.descriptor.digest, site.bytes],
        [late.descriptor.digest, late.bytes],
      ]),
    );
    const into = path.join(target, 'new');
    const added = [
      path.join(into, 'site', 'notes.txt'),
      path.join(into, 'site', 'sub', 'mine', 'draft.txt'),
      path.join(into, 'deep', 'mine.txt'),
      path.join(into, 'top.txt'),
    ];
    // While the pull places its last file, someone saves files into every folder it made; then the move fails.
    const link = fs.link;
    fs.link = async (from, to) => {
      if (to === path.join(into, 'deep', 'late.txt')) {
        for (const file of added) {
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.writeFile(file, 'added during the pull');
        }
        throw Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' });
      }
      return link(from, to);
    };
    try {
      await assert.rejects(
        pullFiles(manifest, source, into),
        (err: Error) =>
          /EIO.*undoing the pull, 4 files the pull did not write stayed where they were/.test(err.message) &&
          added.every((file) => err.message.includes(`"${file}"`)),
      );
    } finally {
      fs.link = link;
    }
    for (const file of added) assert.equal(await fs.readFile(file, 'utf8'), 'added during the pull', file);
    assert.deepEqual(
      Object.keys(await snapshot(into)).sort(),
      [
        'deep',
        'deep/mine.txt',
        'site',
        'site/notes.txt',
        'site/sub',
        'site/sub/mine',
        'site/sub/mine/draft.txt',
        'top.txt',
      ],
      'what the pull wrote is gone, the rest stays',
    );
  });

  it('never writes through a link in the folder it unpacks over: the link is replaced, what it points to is untouched', async () => {
    const folder = folderLayer(
      'site',
      await buildTar([
        { name: 'site/', type: 'directory' },
        { name: 'site/b/', type: 'directory' },
        { name: 'site/b/secret', content: 'from the artifact' },
        { name: 'site/c.txt', content: 'new c' },
      ]),
    );
    const manifest = manifestOf([folder.descriptor]);
    const source = blobSource(new Map([[folder.descriptor.digest, folder.bytes]]));
    // The user's folder holds links where the artifact has a folder and a file: to a folder and a file outside.
    await fs.mkdir(path.join(target, 'site'));
    await fs.symlink(outside, path.join(target, 'site', 'b'));
    await fs.symlink(path.join(outside, 'secret'), path.join(target, 'site', 'c.txt'));

    await pullFiles(manifest, source, target, { overwrite: true });

    assert.equal(await fs.readFile(path.join(outside, 'secret'), 'utf8'), 'untouched');
    assert.deepEqual(await fs.readdir(outside), ['secret']);
    assert.ok((await fs.lstat(path.join(target, 'site', 'b'))).isDirectory(), 'the link to a folder was replaced');
    assert.equal(await fs.readFile(path.join(target, 'site', 'b', 'secret'), 'utf8'), 'from the artifact');
    assert.ok((await fs.lstat(path.join(target, 'site', 'c.txt'))).isFile(), 'the link to a file was replaced');
    assert.equal(await fs.readFile(path.join(target, 'site', 'c.txt'), 'utf8'), 'new c');
    assert.deepEqual((await fs.readdir(root)).sort(), ['outside', 'target'], 'no staging folder left');
  });

  it('names only the files that differ when it refuses before unpacking, not a folder it has not compared', async () => {
    const folder = folderLayer('site', await buildTar([{ name: 'site/index.html', content: '<h1>hi</h1>' }]));
    const file = fileLayer('notes.txt', 'as pushed');
    const blobs = new Map([
      [folder.descriptor.digest, folder.bytes],
      [file.descriptor.digest, file.bytes],
    ]);
    await pullFiles(manifestOf([folder.descriptor, file.descriptor]), blobSource(blobs), target);
    await fs.writeFile(path.join(target, 'notes.txt'), 'edited here');
    // "site" is as its layer unpacks: it was listed as a conflict too ("2 outputs already exist: "site", "notes.txt"").
    await assertRefused(
      [folder, file],
      /^1 output already exists in .*: "notes\.txt" \(nothing written\)$/,
      'CONFLICT',
    );
  });

  it('still counts as a conflict: other bytes of the same size, a link to the same bytes, a folder layer', async () => {
    const sameSize = fileLayer('existing.txt', 'keep it'); // 7 bytes like "keep me"
    assert.equal((await planPull(manifestOf([sameSize.descriptor]), target)).conflicts.length, 1);
    await fs.writeFile(path.join(outside, 'copy'), 'keep me');
    await fs.symlink(path.join(outside, 'copy'), path.join(target, 'linked.txt'));
    const linked = fileLayer('linked.txt', 'keep me');
    const plan = await planPull(manifestOf([linked.descriptor]), target);
    assert.deepEqual(
      plan.outputs.map((o) => [o.conflict, o.unchanged]),
      [[true, false]],
      'a link is never taken for the file',
    );
    await fs.mkdir(path.join(target, 'docs'));
    const folder = folderLayer('docs', await buildTar([]));
    assert.deepEqual((await planPull(manifestOf([folder.descriptor]), target)).conflicts.length, 1);
  });

  it('stops when its signal aborts mid-download and leaves the target unchanged', async () => {
    const first = fileLayer('first.txt', 'complete');
    const second = fileLayer('second.txt', 'x'.repeat(1000));
    const controller = new AbortController();
    const open: BlobSource = {
      fetchBlob: async (descriptor) => {
        if (descriptor.digest === first.descriptor.digest) return Readable.from([first.bytes]);
        return Readable.from(
          (async function* () {
            yield second.bytes.subarray(0, 10);
            controller.abort();
            await new Promise((r) => setTimeout(r, 20));
            yield second.bytes.subarray(10);
          })(),
        );
      },
    };
    const before = await snapshot(root);
    await assert.rejects(
      pullFiles(manifestOf([first.descriptor, second.descriptor]), open, target, { signal: controller.signal }),
      (e: unknown) => OciError.is(e, 'ABORTED'),
    );
    assert.deepEqual(await snapshot(root), before);
  });

  describe('refuses hostile layer titles, leaving the target unchanged', () => {
    const titles: [string, RegExp][] = [
      ['/etc/passwd', /absolute paths/],
      ['../escape.txt', /"\.\." components/],
      ['a/../../escape.txt', /"\.\." components/],
      ['C:evil.txt', /drive letters/],
      ['a\\..\\b', /backslashes/],
      ['', /the name is empty/],
      ['a//b', /empty path component/],
      ['./a', /"\." components/],
      ['bad\u0000name', /NUL or control characters/],
      ['bell\u0007', /NUL or control characters/],
      ['x'.repeat(256), /longer than 255 bytes/],
    ];
    for (const [title, reason] of titles) {
      it(`refuses the title ${JSON.stringify(title.length > 40 ? `${title.slice(0, 10)}…(${title.length})` : title)}`, async () => {
        await assertRefused([fileLayer(title, 'x')], reason, 'UNSAFE_PATH');
      });
    }

    it('refuses duplicate titles (also differing only in case or Unicode normalisation) and titles inside another output', async () => {
      await assertRefused(
        [fileLayer('same.txt', '1'), fileLayer('same.txt', '2')],
        /more than one layer/,
        'UNSAFE_PATH',
      );
      await assertRefused(
        [fileLayer('Same.txt', '1'), fileLayer('same.txt', '2')],
        /more than one layer/,
        'UNSAFE_PATH',
      );
      // "café" composed and decomposed: one file on macOS, where the second rename would silently replace the first.
      await assertRefused(
        [fileLayer('caf\u00e9.txt', '1'), fileLayer('cafe\u0301.txt', '2')],
        /more than one layer/,
        'UNSAFE_PATH',
      );
      await assertRefused(
        [fileLayer('dir', '1'), fileLayer('dir/inner.txt', '2')],
        /inside the output of layer "dir"/,
        'UNSAFE_PATH',
      );
    });

    it('refuses to write through a symlink that already exists in the target', async () => {
      await fs.symlink(outside, path.join(target, 'link'));
      await assertRefused(
        [fileLayer('link/secret', 'overwritten')],
        /"link" in the target folder is a symlink/,
        'UNSAFE_PATH',
      );
    });
  });

  describe('refuses hostile folder archives, leaving the target unchanged', () => {
    const archives: [string, TarEntry[], RegExp][] = [
      [
        'an entry escaping with ..',
        [
          { name: 'dir/', type: 'directory' },
          { name: 'dir/../../escape', content: 'x' },
        ],
        /"\.\." components/,
      ],
      ['an absolute entry', [{ name: '/tmp/abs', content: 'x' }], /absolute paths/],
      ['an entry outside the titled folder', [{ name: 'other/file', content: 'x' }], /not inside "dir\/"/],
      ['a backslash name', [{ name: 'dir\\..\\x', content: 'x' }], /backslashes/],
      ['a control character name', [{ name: 'dir/a\u001bb', content: 'x' }], /NUL or control characters/],
      [
        'a symlink to an absolute path',
        [{ name: 'dir/l', type: 'symlink', linkname: '/etc/passwd' }],
        /absolute targets/,
      ],
      [
        'a symlink climbing out',
        [{ name: 'dir/l', type: 'symlink', linkname: '../../outside/secret' }],
        /points outside "dir\/"/,
      ],
      [
        'a symlink chain (t -> ., s -> t/..)',
        [
          { name: 'dir/t', type: 'symlink', linkname: '.' },
          { name: 'dir/s', type: 'symlink', linkname: 't/..' },
        ],
        /resolves outside "dir\/" through a chain/,
      ],
      [
        'a write through a symlink inside the archive',
        [
          { name: 'dir/sub/', type: 'directory' },
          { name: 'dir/l', type: 'symlink', linkname: 'sub' },
          { name: 'dir/l/x', content: 'x' },
        ],
        /written through the symlink "dir\/l"/,
      ],
      ['a dangling symlink', [{ name: 'dir/l', type: 'symlink', linkname: 'missing' }], /dangling/],
      [
        'a hardlink to a path outside',
        [{ name: 'dir/h', type: 'link', linkname: '../outside/secret' }],
        /"\.\." components/,
      ],
      ['a hardlink to an absolute path', [{ name: 'dir/h', type: 'link', linkname: '/etc/passwd' }], /absolute paths/],
      [
        'a hardlink to something not in the archive',
        [{ name: 'dir/h', type: 'link', linkname: 'dir/nothing' }],
        /not a file extracted earlier/,
      ],
      ['a character device', [{ name: 'dir/tty', type: 'character-device' }], /character-device entries are refused/],
      ['a block device', [{ name: 'dir/sda', type: 'block-device' }], /block-device entries are refused/],
      ['a FIFO', [{ name: 'dir/pipe', type: 'fifo' }], /fifo entries are refused/],
      [
        'a name listed twice',
        [
          { name: 'dir/a', content: '1' },
          { name: 'dir/a', content: '2' },
        ],
        /more than once/,
      ],
      [
        'a file then a symlink of the same name',
        [
          { name: 'dir/a', content: '1' },
          { name: 'dir/a', type: 'symlink', linkname: '.' },
        ],
        /more than once/,
      ],
    ];
    for (const [what, entries, reason] of archives) {
      it(`refuses ${what}`, async () => {
        await assertRefused([folderLayer('dir', await buildTar(entries))], reason, 'UNSAFE_PATH');
      });
    }

    it('refuses an archive that expands beyond maxBytes or holds too many entries', async () => {
      const big = await buildTar([{ name: 'dir/big', content: Buffer.alloc(10_000) }]);
      await assertRefused(
        [folderLayer('dir', big)],
        /unpacked content exceeds the limit of 5000 bytes/,
        'SIZE_EXCEEDED',
        { maxBytes: 5000 },
      );
      const many = await buildTar(Array.from({ length: 5 }, (_, i) => ({ name: `dir/f${i}`, content: 'x' })));
      await assertRefused([folderLayer('dir', many)], /more than 3 entries/, 'UNSAFE_PATH', { maxEntries: 3 });
      await assertRefused([fileLayer('a.txt', 'x'.repeat(100))], /exceeds the limit of 50 bytes/, 'SIZE_EXCEEDED', {
        maxBytes: 50,
      });
      const folder = folderLayer('dir', await buildTar([{ name: 'dir/f', content: 'x'.repeat(60) }]));
      await assertRefused(
        [folder, fileLayer('a.txt', 'x'.repeat(60))],
        /unpacked content exceeds the limit of 40 bytes/,
        'SIZE_EXCEEDED',
        { maxBytes: 100 },
      );
    });

    it('refuses an entry whose header size is unreadable instead of waiting for its bytes forever', async () => {
      // Found by fuzzing: a size field starting with a byte above 0x7f that is not a base-256 marker reads as
      // null in tar-stream, which then stalls the extraction.
      const tarBytes = await buildTar([
        { name: 'dir/l', type: 'symlink', linkname: 'a' },
        { name: 'dir/a', content: 'x' },
      ]);
      tarBytes[124] = 0xee;
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tarBytes[i]!;
      tarBytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
      await assertRefused(
        [folderLayer('dir', tarBytes)],
        /entry "dir\/l" has an unreadable size in its header/,
        'INVALID_CONTENT',
      );
    });

    it('refuses an archive whose tar does not match io.deis.oras.content.digest', async () => {
      const tarBytes = await buildTar([{ name: 'dir/a', content: 'x' }]);
      await assertRefused(
        [folderLayer('dir', tarBytes, digestOf('something else'))],
        /uncompressed tar: digest mismatch/,
        'DIGEST_MISMATCH',
      );
    });

    it('refuses a blob whose bytes do not match the layer digest, even after other outputs were staged', async () => {
      const good = fileLayer('good.txt', 'fine');
      const bad = fileLayer('bad.txt', 'expected');
      await assertRefused(
        [good, { descriptor: bad.descriptor, bytes: Buffer.from('tampered') }],
        /layer "bad.txt".*digest mismatch/,
        'DIGEST_MISMATCH',
      );
    });

    it('refuses a folder layer of one small gzip member and then zeros after about a MiB, not at its declared size', async () => {
      // zlib skips zeros after a member without counting them as consumed: the guard must count them all the same.
      const member = folderLayer('dir', await buildTar([{ name: 'dir/a', content: 'x' }]));
      const declared = 512 * 1024 * 1024;
      const zeros = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const source: BlobSource = {
        async fetchBlob() {
          return Readable.from(
            (function* () {
              sent += member.bytes.length;
              yield member.bytes;
              while (sent < declared) {
                sent += zeros.length;
                yield zeros;
              }
            })(),
          );
        },
      };
      const layer = { ...member.descriptor, size: declared, digest: digestOf('not these bytes') };
      await assert.rejects(
        pullFiles(manifestOf([layer]), source, target),
        (err: unknown) => OciError.is(err, 'INVALID_CONTENT') && /bytes of it unpack to \d+ bytes/.test(String(err)),
      );
      assert.ok(sent < 16 * 1024 * 1024, `${sent} bytes were read`);
    });

    it('extracts the hardlinks and inner symlinks it accepts as copies and relative links', async () => {
      const tarBytes = await buildTar([
        { name: 'dir/', type: 'directory' },
        { name: 'dir/a', content: 'data', mode: 0o4755 },
        { name: 'dir/h', type: 'link', linkname: 'dir/a' },
        { name: 'dir/sub/l', type: 'symlink', linkname: '../a' },
      ]);
      const layer = folderLayer('dir', tarBytes);
      await pullFiles(
        manifestOf([layer.descriptor]),
        blobSource(new Map([[layer.descriptor.digest, layer.bytes]])),
        target,
      );
      assert.equal(await fs.readFile(path.join(target, 'dir', 'h'), 'utf8'), 'data');
      assert.notEqual(
        (await fs.stat(path.join(target, 'dir', 'h'))).ino,
        (await fs.stat(path.join(target, 'dir', 'a'))).ino,
        'a copy, not a link',
      );
      assert.equal(await fs.readlink(path.join(target, 'dir', 'sub', 'l')), '../a');
      assert.equal((await fs.stat(path.join(target, 'dir', 'a'))).mode & 0o7777, 0o755, 'setuid dropped');
    });
  });
});

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

describe('pullFiles of a Flux artifact, merged into the folder pulled into', () => {
  let target: string;
  beforeEach(async () => {
    target = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-pull-flux-'));
  });
  afterEach(async () => {
    await fs.rm(target, { recursive: true, force: true });
  });

  async function pullFlux(
    entries: TarEntry[],
    into = target,
    overwrite = false,
    replaceOnly?: readonly string[],
  ): Promise<void> {
    const bytes = gzipSync(await buildTar(entries));
    const config = Buffer.from('{}');
    const layer = { mediaType: MediaType.fluxContent, digest: digestOf(bytes), size: bytes.length };
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.fluxConfig, digest: digestOf(config), size: config.length },
      layers: [layer],
    };
    await pullFiles(manifest, blobSource(new Map([[layer.digest, bytes]])), into, { overwrite, replaceOnly });
  }

  it('refuses differing files naming every one, replaces only the names agreed to, and keeps the rest', async () => {
    await fs.mkdir(path.join(target, 'apps'));
    await fs.writeFile(path.join(target, 'apps', 'web.yaml'), 'mine\n');
    await fs.writeFile(path.join(target, 'README.md'), 'my readme\n');
    await fs.writeFile(path.join(target, 'notes.txt'), 'my notes\n');
    const entries = [
      { name: './apps/web.yaml', content: 'kind: Deployment\n' },
      { name: './README.md', content: 'fleet\n' },
      { name: './kustomization.yaml', content: 'resources: []\n' },
    ];
    const refused = await pullFlux(entries).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof OutputExistsError, String(refused));
    assert.deepEqual([...(refused.names ?? [])].sort(), ['README.md', 'apps/web.yaml']);

    // Agreed to one name only: the other still differs, so nothing is written.
    await assert.rejects(pullFlux(entries, target, false, ['apps/web.yaml']), (error: unknown) => {
      assert.ok(error instanceof OutputExistsError);
      assert.deepEqual(error.names, ['README.md']);
      return true;
    });
    assert.equal(await fs.readFile(path.join(target, 'apps', 'web.yaml'), 'utf8'), 'mine\n');
    assert.ok(!(await exists(path.join(target, 'kustomization.yaml'))), 'a refused pull wrote a file');

    await pullFlux(entries, target, false, ['apps/web.yaml', 'README.md']);
    assert.equal(await fs.readFile(path.join(target, 'apps', 'web.yaml'), 'utf8'), 'kind: Deployment\n');
    assert.equal(await fs.readFile(path.join(target, 'README.md'), 'utf8'), 'fleet\n');
    assert.equal(await fs.readFile(path.join(target, 'kustomization.yaml'), 'utf8'), 'resources: []\n');
    assert.equal(await fs.readFile(path.join(target, 'notes.txt'), 'utf8'), 'my notes\n', 'the user’s own file stays');
  });

  it("never offers a folder of the user's as one name to replace with a file: all it holds would go", async () => {
    // The artifact has a file "docs" where the user keeps a folder of their own files; the question would have said
    // "1 file differs: docs", and Replace deleted the whole folder.
    await fs.mkdir(path.join(target, 'docs'));
    await fs.writeFile(path.join(target, 'docs', 'thesis.md'), 'years of work\n');
    await fs.writeFile(path.join(target, 'README.md'), 'my readme\n');
    const entries = [
      { name: './docs', content: 'a file now\n' },
      { name: './README.md', content: 'fleet\n' },
    ];
    for (const agreed of [undefined, ['docs', 'README.md']])
      await assert.rejects(pullFlux(entries, target, false, agreed), (error: unknown) => {
        assert.ok(error instanceof OutputExistsError, String(error));
        assert.equal(error.names, undefined, 'no name is offered for a Replace');
        assert.match(error.message, /"docs" is a folder in .* and a file in the artifact: replacing it would delete/);
        return true;
      });
    assert.equal(await fs.readFile(path.join(target, 'docs', 'thesis.md'), 'utf8'), 'years of work\n');
    assert.equal(await fs.readFile(path.join(target, 'README.md'), 'utf8'), 'my readme\n');
    // A file of the user's where the artifact has a folder is one file, named: agreed to, it is replaced.
    await fs.rm(path.join(target, 'docs'), { recursive: true });
    await fs.writeFile(path.join(target, 'docs'), 'my file\n');
    const asFolder = [{ name: './docs/a.md', content: 'a\n' }];
    await assert.rejects(pullFlux(asFolder), (error: unknown) => {
      assert.ok(error instanceof OutputExistsError);
      assert.deepEqual(error.names, ['docs']);
      return true;
    });
    await pullFlux(asFolder, target, false, ['docs']);
    assert.equal(await fs.readFile(path.join(target, 'docs', 'a.md'), 'utf8'), 'a\n');
  });

  it("leaves the user's own file that holds the artifact's bytes as it is: same file, same mode", async () => {
    const script = path.join(target, 'deploy.sh');
    await fs.writeFile(script, 'kubectl apply -k .\n', { mode: 0o755 });
    const before = await fs.stat(script);
    await pullFlux([
      { name: './deploy.sh', content: 'kubectl apply -k .\n' },
      { name: './apps/web.yaml', content: 'kind: Deployment\n' },
    ]);
    assert.equal(await fs.readFile(path.join(target, 'apps', 'web.yaml'), 'utf8'), 'kind: Deployment\n');
    const after = await fs.stat(script);
    assert.equal(after.ino, before.ino, 'the file was replaced by a copy');
    assert.equal(after.mode & 0o777, 0o755);
  });

  for (const overwrite of [false, true])
    it(`pulls into the folder a link given as the target points to, keeping the link${overwrite ? ' (with overwrite too)' : ''}`, async () => {
      const real = path.join(target, 'real');
      const link = path.join(target, 'link');
      await fs.mkdir(real);
      await fs.writeFile(path.join(real, 'mine.txt'), 'mine');
      await fs.symlink('real', link);
      await pullFlux([{ name: './apps/web.yaml', content: 'kind: Deployment\n' }], link, overwrite);
      assert.ok((await fs.lstat(link)).isSymbolicLink(), 'the link given as the target was replaced by a folder');
      assert.equal(await fs.readFile(path.join(real, 'apps', 'web.yaml'), 'utf8'), 'kind: Deployment\n');
      assert.equal(await fs.readFile(path.join(real, 'mine.txt'), 'utf8'), 'mine');
    });
});
