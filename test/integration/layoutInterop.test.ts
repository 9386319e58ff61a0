// LayoutTarget and the layouts of skopeo and umoci read each other.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LayoutTarget } from '../../src/core/layout/LayoutTarget';
import { buildArtifactManifest, packFiles, pullFiles } from '../../src/core/files';
import { pushArtifact } from '../helpers/sampleArtifact';
import { run } from './helpers/tools';

describe('OCI layout interop with skopeo and umoci', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-interop-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('skopeo inspect --raw and umoci ls read a layout written by LayoutTarget', async () => {
    const layoutPath = path.join(dir, 'ours');
    const layout = await LayoutTarget.open(layoutPath, { create: true });
    const a = await pushArtifact(layout, 'first', { tag: 'v1' });
    await pushArtifact(layout, 'second', { tag: 'v2' });

    const { stdout } = await run('skopeo', ['inspect', '--raw', `oci:${layoutPath}:v1`]);
    assert.deepEqual(stdout, a.manifestBytes);
    const listed = (await run('umoci', ['ls', '--layout', layoutPath])).stdout
      .toString()
      .split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(listed, ['v1', 'v2']);
  });

  it('LayoutTarget reads a layout written by skopeo copy, and tags it without disturbing skopeo', async () => {
    const source = await LayoutTarget.open(path.join(dir, 'source'), { create: true });
    const a = await pushArtifact(source, 'payload bytes', { tag: 'v1' });
    const skopeoLayout = path.join(dir, 'by-skopeo');
    await run('skopeo', [
      '--insecure-policy',
      'copy',
      '--preserve-digests',
      `oci:${source.root}:v1`,
      `oci:${skopeoLayout}:copied`,
    ]);
    const written = JSON.parse(await fs.readFile(path.join(skopeoLayout, 'index.json'), 'utf8')) as {
      mediaType?: string;
    };
    assert.equal(written.mediaType, undefined, 'skopeo writes index.json without mediaType');

    const layout = await LayoutTarget.open(skopeoLayout);
    assert.equal((await layout.resolve('copied')).digest, a.manifest.digest);
    const fetched = await layout.fetchManifest('copied');
    assert.deepEqual(fetched.bytes, a.manifestBytes);
    const chunks: Buffer[] = [];
    for await (const chunk of await layout.fetchBlob(a.layer)) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), a.layerBytes);

    await layout.tag(fetched.descriptor, 'also');
    const { stdout } = await run('skopeo', ['inspect', '--raw', `oci:${skopeoLayout}:also`]);
    assert.deepEqual(stdout, a.manifestBytes);
    assert.deepEqual((await layout.garbageCollect()).removed, [], 'everything skopeo wrote is reachable');
  });

  it('a files artifact (a file and a folder) pushed here survives skopeo copy and pulls back byte for byte', async () => {
    const source = path.join(dir, 'src');
    await fs.mkdir(path.join(source, 'site', 'css'), { recursive: true });
    await fs.writeFile(path.join(source, 'site', 'index.html'), '<h1>hi</h1>');
    await fs.writeFile(path.join(source, 'site', 'css', 'main.css'), 'h1{}');
    await fs.writeFile(path.join(source, 'readme.txt'), 'read me');
    const packed = await packFiles([path.join(source, 'readme.txt'), path.join(source, 'site')]);
    const ours = await LayoutTarget.open(path.join(dir, 'ours'), { create: true });
    try {
      for (const layer of packed.layers) await ours.pushBlob(layer.descriptor, layer.content);
    } finally {
      await packed.cleanup();
    }
    const built = buildArtifactManifest({
      layers: packed.layers.map((l) => l.descriptor),
      artifactType: 'application/vnd.example.site',
    });
    await ours.pushBlob(built.config.descriptor, built.config.content);
    await ours.pushManifest(built.descriptor, built.bytes, { tag: 'v1' });

    const copied = path.join(dir, 'copied');
    await run('skopeo', ['--insecure-policy', 'copy', '--preserve-digests', `oci:${ours.root}:v1`, `oci:${copied}:v1`]);
    const layout = await LayoutTarget.open(copied);
    const { manifest, bytes } = await layout.fetchManifest('v1');
    assert.deepEqual(bytes, built.bytes);
    const target = path.join(dir, 'pulled');
    await pullFiles(manifest, layout, target);
    for (const file of ['readme.txt', 'site/index.html', 'site/css/main.css']) {
      assert.deepEqual(await fs.readFile(path.join(target, file)), await fs.readFile(path.join(source, file)), file);
    }
  });
});
