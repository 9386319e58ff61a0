import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_ARTIFACT_TYPE, fallbackTag, writeDemoLayout, type Descriptor } from '../../scripts/demo/demoLayout';

interface Manifest {
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  manifests?: Descriptor[];
}

describe('npm start demo layout', () => {
  let dir: string;
  const blob = (digest: string): Buffer => fs.readFileSync(path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const json = <T>(digest: string): T => JSON.parse(blob(digest).toString('utf8')) as T;
  const index = (): { manifests: Descriptor[] } => JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const tagged = (tag: string): Descriptor | undefined =>
    index().manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);

  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stowage-demo-test-')), 'layout');
    writeDemoLayout(dir);
  });

  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('stores every blob under its own sha256', () => {
    const names = fs.readdirSync(path.join(dir, 'blobs', 'sha256'));
    assert.ok(names.length >= 8);
    for (const name of names) assert.equal(createHash('sha256').update(blob(`sha256:${name}`)).digest('hex'), name);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
  });

  it('tags v1 as an artifact with an empty config and titled text layers', () => {
    const v1 = tagged('v1');
    assert.ok(v1);
    assert.equal(v1.artifactType, DEMO_ARTIFACT_TYPE);
    assert.equal(blob(v1.digest).length, v1.size);
    const manifest = json<Manifest>(v1.digest);
    assert.equal(manifest.artifactType, DEMO_ARTIFACT_TYPE);
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(blob(manifest.config.digest).toString(), '{}');
    assert.ok(manifest.layers.length >= 2);
    for (const layer of manifest.layers) {
      assert.match(layer.annotations?.['org.opencontainers.image.title'] ?? '', /\.txt$/);
      assert.equal(blob(layer.digest).length, layer.size);
    }
  });

  it('lists an SBOM and a signature-typed referrer of v1 under the fallback tag, each with v1 as subject', () => {
    const v1 = tagged('v1');
    assert.ok(v1);
    const fallback = tagged(fallbackTag(v1.digest));
    assert.ok(fallback, 'no sha256-<hex> fallback tag');
    assert.equal(fallback.mediaType, 'application/vnd.oci.image.index.v1+json');
    const referrers = json<Manifest>(fallback.digest).manifests ?? [];
    assert.deepEqual(referrers.map((r) => r.artifactType).sort(), ['application/spdx+json', 'application/vnd.cncf.notary.signature']);
    for (const referrer of referrers) {
      assert.ok(referrer.annotations?.['org.opencontainers.image.description']);
      const manifest = json<Manifest>(referrer.digest);
      assert.equal(manifest.artifactType, referrer.artifactType);
      assert.deepEqual(manifest.subject, { mediaType: v1.mediaType, digest: v1.digest, size: v1.size });
    }
  });

  it('has an SBOM whose file checksums are the digests of the artifact layers', () => {
    const v1 = tagged('v1');
    assert.ok(v1);
    const referrers = json<Manifest>(tagged(fallbackTag(v1.digest))!.digest).manifests ?? [];
    const sbom = json<Manifest>(referrers.find((r) => r.artifactType === 'application/spdx+json')!.digest);
    const spdx = json<{ spdxVersion: string; files: { checksums: { checksumValue: string }[] }[] }>(sbom.layers[0].digest);
    assert.equal(spdx.spdxVersion, 'SPDX-2.3');
    const layerDigests = json<Manifest>(v1.digest).layers.map((l) => l.digest);
    assert.deepEqual(spdx.files.map((f) => `sha256:${f.checksums[0].checksumValue}`), layerDigests);
  });

  it('writes the same bytes every time', () => {
    const first = fs.readFileSync(path.join(dir, 'index.json'));
    writeDemoLayout(dir);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'index.json')), first);
  });
});
