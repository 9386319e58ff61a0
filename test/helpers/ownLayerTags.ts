// Three tags, each one layer of its own, and where a real registry keeps a blob's bytes: what the tests of runs
// that go on past a failing tag (a blob damaged in the registry's storage) seed and break.
import * as path from 'node:path';
import type { Target } from '../../src/core/content';
import { digestOf, EMPTY_JSON } from '../../src/core/content';
import { EMPTY_DESCRIPTOR } from '../../src/core/oci';
import type { TestRegistry } from '../fixtures/registry';
import { artifactManifest, bytesContent, manifestDescriptor } from './sampleArtifact';

export const OWN_LAYER_TYPE = 'application/vnd.stowage.test.layer';

export type OwnLayerTags = Record<string, { manifest: string; layer: string }>;

/** Tags v1, v2, v3, each one layer of its own; returns each tag's digest and its layer's. */
export async function seedOwnLayerTags(target: Target): Promise<OwnLayerTags> {
  await target.pushBlob(EMPTY_DESCRIPTOR, bytesContent(EMPTY_JSON));
  const tags: OwnLayerTags = {};
  for (const tag of ['v1', 'v2', 'v3']) {
    const own = Buffer.from(`the layer of ${tag}, ${'x'.repeat(1000)}`);
    const layer = { mediaType: OWN_LAYER_TYPE, digest: digestOf(own), size: own.length };
    await target.pushBlob(layer, bytesContent(own));
    const bytes = artifactManifest([layer]);
    await target.pushManifest(manifestDescriptor(bytes), bytes, { tag });
    tags[tag] = { manifest: manifestDescriptor(bytes).digest, layer: layer.digest };
  }
  return tags;
}

/** Where distribution keeps a blob's bytes under its storage folder. */
export function registryBlobFile(registry: TestRegistry, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return path.join(registry.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}
