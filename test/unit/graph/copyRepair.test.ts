// A rerun of copy repairs what a failed or damaged copy left: a manifest already at the destination does not
// stop the walk from checking its children and filling the ones missing (what resumable backup relies on).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copy } from '../../../src/core/graph';
import { LayoutTarget } from '../../../src/core/layout';
import { MemoryTarget } from '../../../src/core/memory';
import { pushReferrerTree } from '../../helpers/referrerTree';
import { pushArtifact } from '../../helpers/sampleArtifact';

describe('copy into a layout that already has the manifest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stowage-repair-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fills a blob the layout lost, and copies nothing else again', async () => {
    const src = new MemoryTarget();
    const artifact = await pushArtifact(src, 'layer that goes missing', { tag: 'v1' });
    const layout = await LayoutTarget.open(path.join(dir, 'l'), { create: true });
    await copy(src, 'v1', layout, { tag: 'v1' });
    await fs.rm(layout.blobPath(artifact.layer.digest));
    assert.equal(await layout.exists(artifact.layer), false);

    const rerun = await copy(src, 'v1', layout, { tag: 'v1' });

    assert.equal(await layout.exists(artifact.layer), true, 'the lost layer was not filled in');
    assert.equal((await fs.readFile(layout.blobPath(artifact.layer.digest))).toString(), 'layer that goes missing');
    assert.deepEqual(
      { items: rerun.progress.totalItems, skipped: rerun.progress.skippedItems },
      { items: 3, skipped: 2 },
      'manifest and config found, the layer copied',
    );
  });

  it('fills a referrer blob the layout lost, deep in the referrer graph', async () => {
    const src = new MemoryTarget();
    const tree = await pushReferrerTree(src);
    const layout = await LayoutTarget.open(path.join(dir, 'l'), { create: true });
    await copy(src, 'v1', layout, { tag: 'v1', referrers: true });
    const { manifest } = await layout.fetchManifest(tree.signature);
    const signatureLayer = 'layers' in manifest ? manifest.layers[0]! : undefined;
    assert.ok(signatureLayer);
    await fs.rm(layout.blobPath(signatureLayer.digest));

    await copy(src, 'v1', layout, { tag: 'v1', referrers: true });

    assert.equal(await layout.exists(signatureLayer), true, 'the signature layer was not filled in');
  });
});
