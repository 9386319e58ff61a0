// Which artifact a layout named without a tag or digest stands for: its one entry, or its one tag (referrer tags
// and untagged referrers beside it do not count); anything else is reported as what it holds.
import * as assert from 'node:assert/strict';
import { soleArtifact } from '../../../src/core/layout';
import type { Descriptor, ImageIndex } from '../../../src/core/oci';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const entry = (n: number, tag?: string): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: digest(n),
  size: 100,
  ...(tag !== undefined && { annotations: { 'org.opencontainers.image.ref.name': tag } }),
});
const index = (...manifests: Descriptor[]): ImageIndex => ({ schemaVersion: 2, manifests });

describe('soleArtifact: the artifact a bare layout name stands for', () => {
  it('is the one entry, tagged or not', () => {
    assert.deepEqual(soleArtifact(index(entry(1))), { found: true, digest: digest(1) });
    assert.deepEqual(soleArtifact(index(entry(1, 'v1'))), { found: true, tag: 'v1', digest: digest(1) });
  });

  it('is the one tag beside untagged manifests and referrer tags (fallback index, cosign signature)', () => {
    const fallback = `sha256-${'a'.repeat(64)}`;
    const held = index(entry(1, 'v1'), entry(2), entry(3, fallback), entry(4, `${fallback}.sig`));
    assert.deepEqual(soleArtifact(held), { found: true, tag: 'v1', digest: digest(1) });
    // A full reference in ref.name names its tag.
    assert.deepEqual(soleArtifact(index(entry(1, 'example.com/app:v2'), entry(2))), {
      found: true,
      tag: 'v2',
      digest: digest(1),
    });
    // One tag listed twice for the same manifest is still one.
    assert.deepEqual(soleArtifact(index(entry(1, 'v1'), entry(1, 'v1'))), {
      found: true,
      tag: 'v1',
      digest: digest(1),
    });
  });

  it('reports what it holds when that is not one artifact', () => {
    assert.deepEqual(soleArtifact(index()), { found: false, tags: [], others: 0 });
    assert.deepEqual(soleArtifact(index(entry(1), entry(2))), { found: false, tags: [], others: 2 });
    assert.deepEqual(soleArtifact(index(entry(1, 'v1'), entry(1, 'latest'), entry(3))), {
      found: false,
      tags: ['v1', 'latest'],
      others: 1,
    });
    // One tag on two different manifests (a layout written by hand): ambiguous, not the first one.
    assert.deepEqual(soleArtifact(index(entry(1, 'v1'), entry(2, 'v1'))), { found: false, tags: ['v1'], others: 0 });
  });
});
