// Proves that a layout's own structure is never reached through a symbolic link: every write is refused with
// an error naming the link and leaves the folder it points to untouched; reads refuse links, non-regular files
// (/dev/zero, a FIFO) and oversized JSON quickly and with bounded memory.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMPTY_DESCRIPTOR } from '../../../src/core/oci/descriptor';
import { encodedOf } from '../../../src/core/oci/digest';
import { digestOf } from '../../../src/core/content/hashing';
import { OciError } from '../../../src/core/oci/errors';
import { MAX_INDEX_BYTES } from '../../../src/core/layout/indexFile';
import { LayoutTarget } from '../../../src/core/layout/LayoutTarget';
import { LayoutSymlinkError } from '../../../src/core/content/noSymlinks';
import { EMPTY_JSON } from '../../../src/core/content';
import { recordFigures } from '../../helpers/figures';
import { artifactManifest, bytesContent, manifestDescriptor, pushArtifact } from '../../helpers/sampleArtifact';

const tried: string[] = [];
const refusals: string[] = [];

function refusedAt(entry: string) {
  return (err: unknown): boolean => {
    tried.push(entry);
    assert.ok(err instanceof LayoutSymlinkError, String(err));
    assert.equal(err.entry, entry);
    assert.match(err.message, /is a symbolic link: Stowage does not follow links inside an OCI image layout/);
    refusals.push(entry);
    return true;
  };
}

async function listing(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).sort();
}

describe('layout entries are never reached through symbolic links', () => {
  let dir: string;
  let root: string;
  let outside: string;
  const layer = Buffer.from('payload');
  const layerDescriptor = { mediaType: 'application/octet-stream', digest: digestOf(layer), size: layer.length };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-links-'));
    root = path.join(dir, 'layout');
    outside = path.join(dir, 'outside');
    await fs.mkdir(outside);
    await LayoutTarget.open(root, { create: true });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  after(() => {
    recordFigures('hostile', {
      'symbolic links in layouts': {
        tried: tried.length,
        held: refusals.length,
        detail:
          'symbolic links in a layout (blobs, blobs/<alg>, blob file, index.json, oci-layout) met by push, tag, resolve, fetch, GC: refused naming the link, nothing written or read outside',
      },
    });
  });

  it('refuses to push blobs and manifests into a symlinked blobs/<alg>, writing nothing where it points', async () => {
    await fs.symlink(outside, path.join(root, 'blobs', 'sha256'));
    const layout = await LayoutTarget.open(root);
    await assert.rejects(layout.pushBlob(layerDescriptor, bytesContent(layer)), refusedAt('blobs/sha256'));
    await assert.rejects(layout.pushUnhashedBlob(bytesContent(layer)), refusedAt('blobs/sha256'));
    const manifest = artifactManifest([layerDescriptor]);
    await assert.rejects(
      layout.pushManifest(manifestDescriptor(manifest), manifest, { tag: 'v1' }),
      refusedAt('blobs/sha256'),
    );
    await assert.rejects(layout.garbageCollect(), refusedAt('blobs/sha256'));
    assert.deepEqual(await listing(outside), []);
    assert.deepEqual(await listing(path.join(root, 'blobs')), ['sha256'], 'no temp file left in blobs/ either');
  });

  it('refuses a symlinked blobs folder, also when creating the layout', async () => {
    await fs.rm(path.join(root, 'blobs'), { recursive: true });
    await fs.symlink(outside, path.join(root, 'blobs'));
    await assert.rejects(LayoutTarget.open(root, { create: true }), refusedAt('blobs'));
    const layout = await LayoutTarget.open(root);
    await assert.rejects(layout.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON)), refusedAt('blobs'));
    assert.deepEqual(await listing(outside), []);
  });

  it('refuses to read or rewrite a symlinked index.json, leaving the file it points to as it was', async () => {
    const layout = await LayoutTarget.open(root);
    const pushed = await pushArtifact(layout, 'hello');
    const foreign = path.join(outside, 'index.json');
    const foreignText = JSON.stringify({ schemaVersion: 2, manifests: [] });
    await fs.writeFile(foreign, foreignText);
    await fs.rm(path.join(root, 'index.json'));
    await fs.symlink(foreign, path.join(root, 'index.json'));
    await assert.rejects(layout.tag(pushed.manifest, 'v1'), refusedAt('index.json'));
    await assert.rejects(layout.resolve('v1'), refusedAt('index.json'));
    assert.equal(await fs.readFile(foreign, 'utf8'), foreignText);
    assert.ok((await fs.lstat(path.join(root, 'index.json'))).isSymbolicLink(), 'the link was not replaced either');
  });

  it('refuses a symlinked oci-layout when opening', async () => {
    const foreign = path.join(outside, 'oci-layout');
    await fs.writeFile(foreign, '{"imageLayoutVersion":"1.0.0"}');
    await fs.rm(path.join(root, 'oci-layout'));
    await fs.symlink(foreign, path.join(root, 'oci-layout'));
    await assert.rejects(LayoutTarget.open(root), refusedAt('oci-layout'));
  });

  it('refuses to fetch, hash or overwrite a blob file that is a symbolic link', async () => {
    const layout = await LayoutTarget.open(root);
    const secret = path.join(outside, 'secret');
    await fs.writeFile(secret, layer);
    await fs.mkdir(path.join(root, 'blobs', 'sha256'), { recursive: true });
    const blob = path.join(root, 'blobs', 'sha256', encodedOf(layerDescriptor.digest));
    await fs.symlink(secret, blob);
    const entry = `blobs/sha256/${encodedOf(layerDescriptor.digest)}`;
    await assert.rejects(layout.fetchBlob(layerDescriptor), refusedAt(entry));
    await assert.rejects(layout.exists(layerDescriptor), refusedAt(entry));
    await assert.rejects(layout.pushBlob(layerDescriptor, bytesContent(layer)), refusedAt(entry));
    assert.equal(await fs.readFile(secret, 'utf8'), 'payload');
  });

  it('refuses index.json linked to /dev/zero at once, without reading it', async function () {
    await fs.rm(path.join(root, 'index.json'));
    await fs.symlink('/dev/zero', path.join(root, 'index.json'));
    const layout = await LayoutTarget.open(root);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    await assert.rejects(layout.resolve('v1'), refusedAt('index.json'));
    assert.ok(Date.now() - started < 1000);
    assert.ok(process.memoryUsage().rss - rssBefore < 32 * 1024 * 1024);
  });

  it('refuses an index.json that is a FIFO or a regular file over the cap, without blocking or reading it', async function () {
    const index = path.join(root, 'index.json');
    await fs.rm(index);
    const made = spawnSync('mkfifo', [index]);
    assert.equal(made.status, 0, `mkfifo is needed for this test: ${made.error?.message ?? made.stderr}`);
    const layout = await LayoutTarget.open(root);
    await assert.rejects(
      layout.resolve('v1'),
      (e: unknown) => OciError.is(e, 'LAYOUT') && /is not a regular file/.test(e.message),
    );
    await fs.rm(index);
    await fs.writeFile(index, '');
    await fs.truncate(index, MAX_INDEX_BYTES + 1); // sparse: costs no disk
    const rssBefore = process.memoryUsage().rss;
    await assert.rejects(
      layout.resolve('v1'),
      (e: unknown) => OciError.is(e, 'SIZE_EXCEEDED') && e.message.includes('index.json'),
    );
    assert.ok(process.memoryUsage().rss - rssBefore < 8 * 1024 * 1024);
  });

  it('still opens and writes a layout whose own folder is reached through a link (the user chose that path)', async () => {
    const alias = path.join(dir, 'alias');
    await fs.symlink(root, alias);
    const layout = await LayoutTarget.open(alias);
    const pushed = await pushArtifact(layout, 'through the alias', { tag: 'v1' });
    assert.equal((await layout.resolve('v1')).digest, pushed.manifest.digest);
  });
});
