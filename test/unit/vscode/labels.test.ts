import * as assert from 'node:assert/strict';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { formatBytes, formatContentSize, formatManifestSize } from '../../../src/core/oci';
import { blobLabel, platformLabel, sortTags } from '../../../src/vscode/tree/labels';
import { artifactFamilyOf } from '../../../src/core/graph';

describe('tree labels', () => {
  it('sorts tags with latest first, then versions newest first, then names, then referrer tags', () => {
    const tags = [
      'sha256-' + 'a'.repeat(64),
      'v1.2.0',
      'main',
      'v1.10.0',
      'latest',
      '1.10.0-rc.1',
      'v2',
      'sha256-' + 'b'.repeat(64) + '.sig',
      'dev',
    ];
    assert.deepEqual(sortTags(tags, 'semver'), [
      'latest',
      'v2',
      'v1.10.0',
      '1.10.0-rc.1',
      'v1.2.0',
      'dev',
      'main',
      'sha256-' + 'a'.repeat(64),
      'sha256-' + 'b'.repeat(64) + '.sig',
    ]);
  });

  it('sorts a Helm chart tag with build metadata ("+" written "_" by helm push) with its version', () => {
    assert.deepEqual(
      sortTags(['0.1.0', 'main', '0.2.0_build.3', '0.1.0_build.7', '0.10.0-rc.1_g1a2b', '0.2.0'], 'semver'),
      ['0.10.0-rc.1_g1a2b', '0.2.0', '0.2.0_build.3', '0.1.0', '0.1.0_build.7', 'main'],
    );
  });

  it('sorts tags alphabetically when asked to', () => {
    assert.deepEqual(sortTags(['b', 'v10', 'a', 'v9'], 'name'), ['a', 'b', 'v10', 'v9']);
  });

  it('formats sizes in binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MiB');
  });

  it("says whose size it shows: a manifest's or an index's own JSON, or the content its layers carry", () => {
    assert.equal(formatManifestSize({ mediaType: MediaType.ociManifest, size: 713 }), 'manifest 713 B');
    assert.equal(formatManifestSize({ mediaType: MediaType.dockerManifestList, size: 984 }), 'index 984 B');
    assert.equal(formatContentSize(2560), 'content 2.5 KiB');
  });

  it('labels platforms os/arch[/variant]', () => {
    assert.equal(platformLabel({ os: 'linux', architecture: 'arm64', variant: 'v8' }), 'linux/arm64/v8');
    assert.equal(platformLabel({ os: 'linux', architecture: 'amd64' }), 'linux/amd64');
    assert.equal(platformLabel(undefined), undefined);
  });

  it('names layers by their title, escaping control and bidi characters from the registry', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    assert.equal(
      blobLabel({
        mediaType: 'text/plain',
        digest,
        size: 1,
        annotations: { 'org.opencontainers.image.title': 'evil\u202etxt.exe' },
      }),
      'evil⟨U+202E⟩txt.exe',
    );
    assert.equal(blobLabel({ mediaType: 'text/plain', digest, size: 1 }), 'cccccccccccc');
  });

  it('names the untitled layers of signatures and attestations by what they hold, not by a digest', () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const named = (mediaType: string) => blobLabel({ mediaType, digest, size: 1 });
    assert.equal(named('application/jose+json'), 'JWS signature envelope');
    assert.equal(named('application/cose'), 'COSE signature envelope');
    assert.equal(named('application/vnd.dev.cosign.simplesigning.v1+json'), 'cosign signed payload');
    assert.equal(named('application/vnd.dev.sigstore.bundle.v0.3+json'), 'Sigstore bundle');
    assert.equal(named('application/vnd.dev.sigstore.bundle+json;version=0.2'), 'Sigstore bundle');
    assert.equal(named('application/vnd.dsse.envelope.v1+json'), 'DSSE envelope');
    assert.equal(named('application/vnd.in-toto+json'), 'in-toto statement');
    // A title still wins; an image layer keeps its digest; a media type that is not text names nothing.
    assert.equal(
      blobLabel({
        mediaType: 'application/jose+json',
        digest,
        size: 1,
        annotations: { 'org.opencontainers.image.title': 'sig.jws' },
      }),
      'sig.jws',
    );
    assert.equal(named('application/vnd.oci.image.layer.v1.tar+gzip'), 'dddddddddddd');
    // In a manifest, an untitled image layer is named by its place, bottom first, as `stowage files` numbers them.
    const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: 1 };
    assert.equal(blobLabel(layer, { index: 0, count: 3 }), 'layer 1 of 3');
    assert.equal(
      blobLabel({ ...layer, mediaType: 'application/jose+json' }, { index: 2, count: 3 }),
      'JWS signature envelope',
    );
    assert.equal(named('constructor'), 'dddddddddddd');
    assert.equal(blobLabel({ mediaType: 42 as unknown as string, digest, size: 1 }), 'dddddddddddd');
  });

  it('groups referrers by kind from their artifact type', () => {
    const referrerKindOf = (artifactType?: string) =>
      artifactFamilyOf({
        mediaType: MediaType.ociManifest,
        digest: `sha256:${'a'.repeat(64)}`,
        size: 1,
        ...(artifactType ? { artifactType } : {}),
      });
    assert.equal(referrerKindOf(MediaType.notarySignature), 'signature');
    assert.equal(referrerKindOf('application/vnd.dev.cosign.artifact.sig.v1+json'), 'signature');
    assert.equal(referrerKindOf(MediaType.spdx), 'sbom');
    assert.equal(referrerKindOf(MediaType.cyclonedx), 'sbom');
    assert.equal(referrerKindOf(MediaType.inToto), 'attestation');
    assert.equal(referrerKindOf('application/vnd.example.readme'), 'other');
    assert.equal(referrerKindOf(undefined), 'other');
  });
});
