// RegistryTarget against real distribution 2.8.2 in all three variants: manifests and blobs round trip,
// tags, delete by digest, mount, and what the capabilities probe finds.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EMPTY_DESCRIPTOR } from '../../src/core/oci/descriptor';
import { EMPTY_JSON } from '../../src/core/content';
import { OciError } from '../../src/core/oci/errors';
import { listRepositories } from '../../src/core/registry/catalog';
import { probeCapabilities } from '../../src/core/registry/capabilities';
import type { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startRegistry, type RegistryVariant, type TestRegistry } from '../fixtures/registry';
import { bufferContent, clientFor, readAll, smallArtifact } from '../fixtures/registryClients';

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

for (const variant of ['plain', 'basic-tls', 'token'] as RegistryVariant[]) {
  describe(`RegistryTarget on a ${variant} registry`, function () {
    let registry: TestRegistry;
    let client: RegistryClient;
    before(async () => {
      registry = await startRegistry({ variant });
      client = clientFor(registry);
    });
    after(async () => {
      await client?.close();
      await registry?.stop();
    });

    it('pings the API with the registry credentials and names their source', async () => {
      assert.deepEqual(await client.ping(), { source: variant === 'plain' ? 'anonymous' : 'explicit' });
      if (variant !== 'plain') {
        const wrong = clientFor(registry, { as: { username: registry.username, password: 'not-the-password' } });
        await assert.rejects(wrong.ping(), (e: unknown) => OciError.is(e, 'UNAUTHORIZED'));
        await wrong.close();
      }
    });

    it('pushes blobs and a tagged manifest, then resolves and fetches them byte for byte', async () => {
      const target = new RegistryTarget(client, 'roundtrip/app');
      const artifact = smallArtifact(randomBytes(10_000));
      await target.pushBlob(EMPTY_DESCRIPTOR, bufferContent(EMPTY_JSON));
      await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
      const result = await target.pushManifest(artifact.manifestDescriptor, artifact.manifestBytes, { tag: 'v1' });
      assert.equal(result.subjectIndexed, false);

      assert.deepEqual(await target.resolve('v1'), artifact.manifestDescriptor);
      const fetched = await target.fetchManifest('v1');
      assert.deepEqual(fetched.bytes, artifact.manifestBytes);
      assert.equal(fetched.descriptor.digest, artifact.manifestDescriptor.digest);
      assert.equal(fetched.descriptor.artifactType, 'application/vnd.stowage.test');
      assert.deepEqual(await readAll(await target.fetchBlob(artifact.layerDescriptor)), artifact.layer);
      assert.equal(await target.exists(artifact.layerDescriptor), true);
      assert.equal(await target.exists(artifact.manifestDescriptor), true);
      assert.equal(await target.exists({ ...artifact.layerDescriptor, digest: `sha256:${'1'.repeat(64)}` }), false);
    });

    it('refuses a blob whose bytes do not match its digest and stores nothing', async () => {
      const target = new RegistryTarget(client, 'roundtrip/bad');
      const artifact = smallArtifact(randomBytes(1000));
      await assert.rejects(target.pushBlob(artifact.layerDescriptor, bufferContent(randomBytes(1000))), (e: unknown) =>
        OciError.is(e, 'DIGEST_MISMATCH'),
      );
      assert.equal(await target.exists(artifact.layerDescriptor), false);
    });

    it('tags an existing manifest, lists tags, and deletes by digest taking its tags with it', async () => {
      const target = new RegistryTarget(client, 'roundtrip/tags');
      const artifact = smallArtifact(randomBytes(100));
      await target.pushBlob(EMPTY_DESCRIPTOR, bufferContent(EMPTY_JSON));
      await target.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
      await target.pushManifest(artifact.manifestDescriptor, artifact.manifestBytes, { tag: 'a' });
      await target.tag(artifact.manifestDescriptor, 'b');
      const pages = await collect(target.listTags({ pageSize: 1 }));
      // distribution ignores n on tags/list: one page holding both.
      assert.deepEqual(pages.flat().sort(), ['a', 'b']);
      await target.deleteManifest(artifact.manifestDescriptor);
      await assert.rejects(target.resolve('a'), (e: unknown) => OciError.is(e, 'NOT_FOUND'));
      assert.equal(await target.exists(artifact.manifestDescriptor), false);
    });

    it('mounts a blob from another repository and reports false for an unknown blob', async () => {
      const source = new RegistryTarget(client, 'mount/source');
      const destination = new RegistryTarget(client, 'mount/destination');
      const artifact = smallArtifact(randomBytes(2000));
      await source.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
      assert.equal(await destination.mountBlob(artifact.layerDescriptor, 'mount/source'), true);
      assert.equal(await destination.exists(artifact.layerDescriptor), true);
      assert.equal(
        await destination.mountBlob(
          { ...artifact.layerDescriptor, digest: `sha256:${'2'.repeat(64)}` },
          'mount/source',
        ),
        false,
      );
    });

    it('lists the catalog a page at a time following Link headers', async () => {
      const pages = await collect(listRepositories(client, { pageSize: 2 }));
      assert.ok(pages.length >= 2, `expected several pages, got ${JSON.stringify(pages)}`);
      assert.ok(pages.every((p) => p.length <= 2));
      assert.ok(pages.flat().includes('roundtrip/app'));
    });

    it('probes distribution: no referrers API, catalog, delete, mount and chunked upload', async () => {
      const caps = await probeCapabilities(client, 'roundtrip/app');
      assert.deepEqual(caps, { referrersApi: false, catalog: true, delete: true, mount: true, chunkedUpload: true });
      assert.equal(
        await new RegistryTarget(client, 'roundtrip/app').nativeReferrers(EMPTY_DESCRIPTOR.digest),
        undefined,
      );
    });
  });
}
