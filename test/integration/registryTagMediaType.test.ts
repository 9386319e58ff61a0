// RegistryTarget.tag re-puts the manifest it reads back under the new tag: the media type it sends is the one the
// manifest's own bytes declare, not the caller's descriptor's (a HEAD's Content-Type, a listing's word, a stale
// row), which real distribution refuses when the two disagree.
import * as assert from 'node:assert/strict';
import { MediaType } from '../../src/core/oci';
import { RegistryTarget } from '../../src/core/registry';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { clientFor } from '../fixtures/registryClients';
import { pushArtifact } from '../helpers/sampleArtifact';

describe('RegistryTarget.tag against a real registry', function () {
  this.timeout(60_000);
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ variant: 'plain' });
  });
  after(async () => {
    await registry?.stop();
  });

  it('tags with the media type the manifest’s bytes declare when the caller’s descriptor names another', async () => {
    const target = new RegistryTarget(clientFor(registry), 'app');
    const { manifest } = await pushArtifact(target, 'an OCI manifest', { tag: 'v1' });
    await target.tag({ ...manifest, mediaType: MediaType.dockerManifest }, 'v1-again');
    const tagged = await target.fetchManifest('v1-again');
    assert.equal(tagged.descriptor.digest, manifest.digest);
    assert.equal(tagged.descriptor.mediaType, MediaType.ociManifest);
  });
});
