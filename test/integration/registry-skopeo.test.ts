// Interop with a peer client: what Stowage pushes, skopeo reads byte for byte, and what skopeo pushes (from an
// OCI layout, digests preserved), Stowage reads and verifies. Basic auth over TLS with the per-run CA.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMPTY_DESCRIPTOR } from '../../src/core/oci/descriptor';
import { EMPTY_JSON } from '../../src/core/content';
import type { RegistryClient } from '../../src/core/registry/RegistryClient';
import { RegistryTarget } from '../../src/core/registry/RegistryTarget';
import { startRegistry, type TestRegistry } from '../fixtures/registry';
import { bufferContent, clientFor, readAll, smallArtifact } from '../fixtures/registryClients';
import { runSkopeo, skopeoRegistryFlags } from '../fixtures/skopeo';

describe('registry interop with skopeo', function () {
  let registry: TestRegistry;
  let client: RegistryClient;
  let workDir: string;
  before(async () => {
    registry = await startRegistry({ variant: 'basic-tls', logLevel: 'warn' });
    client = clientFor(registry);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-skopeo-'));
  });
  after(async () => {
    await client?.close();
    await registry?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('skopeo reads what Stowage pushed, and Stowage reads what skopeo pushed back', async () => {
    const source = new RegistryTarget(client, 'interop/source');
    const artifact = smallArtifact(randomBytes(5000));
    await source.pushBlob(EMPTY_DESCRIPTOR, bufferContent(EMPTY_JSON));
    await source.pushBlob(artifact.layerDescriptor, bufferContent(artifact.layer));
    await source.pushManifest(artifact.manifestDescriptor, artifact.manifestBytes, { tag: 'v1' });

    const raw = await runSkopeo([
      'inspect',
      '--raw',
      ...skopeoRegistryFlags(registry, 'image'),
      `docker://${registry.host}/interop/source:v1`,
    ]);
    assert.equal(raw.stdout.trim(), artifact.manifestBytes.toString('utf8'));

    const layout = path.join(workDir, 'layout');
    await runSkopeo([
      'copy',
      '--preserve-digests',
      ...skopeoRegistryFlags(registry, 'src'),
      `docker://${registry.host}/interop/source:v1`,
      `oci:${layout}:v1`,
    ]);
    await runSkopeo([
      'copy',
      '--preserve-digests',
      ...skopeoRegistryFlags(registry, 'dest'),
      `oci:${layout}:v1`,
      `docker://${registry.host}/interop/copied:v1`,
    ]);

    const copied = new RegistryTarget(client, 'interop/copied');
    const fetched = await copied.fetchManifest('v1');
    assert.equal(fetched.descriptor.digest, artifact.manifestDescriptor.digest);
    assert.ok(fetched.bytes.equals(artifact.manifestBytes));
    assert.ok((await readAll(await copied.fetchBlob(artifact.layerDescriptor))).equals(artifact.layer));
  });
});
