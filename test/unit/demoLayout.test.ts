// The layout `npm start` opens: an artifact, an SBOM of it and a signature that verifies with the demo key.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { DEMO_ARTIFACT_TYPE, writeDemoLayout, type DemoLayout } from '../../scripts/demo/demoLayout';
import { DEMO_IMAGE_TAG, writeDemoImage } from '../../scripts/demo/demoImage';
import { streamLayeredFile } from '../../src/core/files/layeredFile';
import { isIndex, titleOf } from '../../src/core/oci/descriptor';
import { listReferrers } from '../../src/core/graph/referrers';
import { verifyArtifactSignatures } from '../../src/core/supplyChain';
import { validateLayout } from '../../src/core/lint/layout/validateLayout';

describe('npm start demo layout', function () {
  this.timeout(30_000);
  let root: string;
  let demo: DemoLayout;

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-demo-test-'));
    demo = await writeDemoLayout(path.join(root, 'layout'));
  });

  after(() => fs.rm(root, { recursive: true, force: true }));

  it('tags v1 as an artifact with titled text layers', async () => {
    const { manifest, descriptor } = await demo.target.fetchManifest('v1');
    assert.equal(descriptor.digest, demo.artifact.digest);
    assert.ok(!isIndex(manifest));
    assert.equal(manifest.artifactType, DEMO_ARTIFACT_TYPE);
    assert.deepEqual(manifest.layers.map(titleOf), ['README.txt', 'greeting.txt', 'notes.txt']);
  });

  it('has an SPDX SBOM and a Notary signature as referrers, found through the fallback tag', async () => {
    const referrers = await listReferrers(demo.target, demo.artifact.digest);
    assert.deepEqual(referrers.map((r) => r.descriptor.artifactType).sort(), [
      'application/spdx+json',
      'application/vnd.cncf.notary.signature',
    ]);
    assert.deepEqual([...new Set(referrers.map((r) => r.source))], ['fallback-tag']);
  });

  it('signs with a key whose certificate, saved beside the layout, verifies the signature', async () => {
    const trusted = await fs.readFile(demo.certificateFile, 'utf8');
    const { signatures: results } = await verifyArtifactSignatures(demo.target, demo.artifact, {
      trustedCerts: [trusted],
    });
    assert.equal(results.length, 1);
    assert.ok(results[0]!.result.ok, results[0]!.result.reasons.join('; '));
  });

  it("validates with no findings at all (a newcomer's first Validate Layout is about the demo, not its leftovers)", async () => {
    const validation = await validateLayout(demo.dir);
    assert.deepEqual(
      validation.problems.map((p) => `${p.severity} ${p.code} ${p.file}: ${p.message}`),
      [],
    );
  });

  it('writes the same artifact digest every run', async () => {
    const again = await writeDemoLayout(path.join(root, 'again'));
    assert.equal(again.artifact.digest, demo.artifact.digest);
  });

  it('writes a demo image whose upper layer replaces, deletes and adds files, the same bytes every run', async () => {
    const image = await writeDemoImage(path.join(root, 'image'));
    const { manifest } = await image.target.fetchManifest(DEMO_IMAGE_TAG);
    assert.ok(!isIndex(manifest));
    const layers = manifest.layers.map((descriptor, index) => ({ index, descriptor }));
    const read = async (file: string) => {
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      const found = await streamLayeredFile(image.target, layers, file, async () => ({ into: sink }));
      return { text: Buffer.concat(chunks).toString('utf8'), layer: found.index };
    };
    assert.deepEqual(await read('etc/os-release'), { text: 'ID=stowage-demo\nVERSION_ID=2\n', layer: 1 });
    assert.deepEqual(await read('usr/bin/hello'), {
      text: '#!/bin/sh\necho "Hello from the Stowage demo image"\n',
      layer: 0,
    });
    await assert.rejects(read('etc/motd'), /deleted by layer 2/);
    const validation = await validateLayout(image.dir);
    assert.deepEqual(
      validation.problems.map((p) => `${p.severity} ${p.code}: ${p.message}`),
      [],
    );
    const again = await writeDemoImage(path.join(root, 'image-again'));
    assert.equal(again.image.digest, image.image.digest);
  });

  it("writes the demo image's gzip headers without the platform: time 0 and OS byte 255, not zlib's build's", async () => {
    // zlib writes its build's OS there (3 on Unix, 10 on Windows in newer zlib): the digests would differ by platform.
    const image = await writeDemoImage(path.join(root, 'image-header'));
    const { manifest } = await image.target.fetchManifest(DEMO_IMAGE_TAG);
    assert.ok(!isIndex(manifest));
    assert.equal(manifest.layers.length, 2);
    for (const layer of manifest.layers) {
      const blob = await fs.readFile(path.join(image.dir, 'blobs', 'sha256', layer.digest.slice('sha256:'.length)));
      // Magic, deflate, no flags, mtime 0, XFL 2 (level 9), OS 255 ("unknown").
      assert.deepEqual([...blob.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff], layer.digest);
    }
  });
});
