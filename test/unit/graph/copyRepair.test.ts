// A rerun of copy repairs what a failed or damaged copy left: a manifest already at the destination does not
// stop the walk from checking its children and filling the ones missing (what resumable backup relies on).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copy, copyTags } from '../../../src/core/graph';
import type { Cancellable, FetchedManifest } from '../../../src/core/content';
import { type Descriptor, MediaType } from '../../../src/core/oci';
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

  it('names a manifest in index.json by the media type its bytes give, not the one a source’s HEAD claimed (a tag of a manifest already there, a tag set after its referrers)', async () => {
    // A registry answers HEAD with any Content-Type it likes; nothing verifies it.
    const src = new (class extends MemoryTarget {
      override async resolve(reference: string, options?: Cancellable): Promise<Descriptor> {
        return { ...(await super.resolve(reference, options)), mediaType: MediaType.ociIndex };
      }
      // A GET's descriptor takes the type from the manifest's bytes, as a registry's does.
      override async fetchManifest(ref: string | Descriptor, options?: Cancellable): Promise<FetchedManifest> {
        const fetched = await super.fetchManifest(ref, options);
        return { ...fetched, descriptor: { ...fetched.descriptor, mediaType: fetched.manifest.mediaType! } };
      }
    })();
    const artifact = await pushArtifact(src, 'one layer', { tag: 'v1' });
    await src.tag(artifact.manifest, 'v2');
    for (const referrers of [false, true]) {
      const layout = await LayoutTarget.open(path.join(dir, `l-${referrers}`), { create: true });
      await copyTags(src, layout, { tags: ['v1', 'v2'], referrers });
      const index = JSON.parse(await fs.readFile(path.join(layout.root, 'index.json'), 'utf8')) as {
        manifests: Descriptor[];
      };
      assert.deepEqual(
        index.manifests.map((m) => [m.annotations?.['org.opencontainers.image.ref.name'], m.mediaType]),
        [
          ['v1', MediaType.ociManifest],
          ['v2', MediaType.ociManifest],
        ],
        `referrers: ${referrers}`,
      );
    }
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
