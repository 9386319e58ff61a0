// Proves document kinds are told apart by content, and by the file name or media type the caller knows.
import * as assert from 'node:assert/strict';
import { detectKind } from '../../../src/core/lint';
import { MediaType } from '../../../src/core/oci/mediaTypes';

const descriptor = { mediaType: MediaType.ociManifest, digest: 'sha256:' + 'a'.repeat(64), size: 10 };

describe('lint document kind detection', () => {
  it('tells manifests from indexes by structure, not by a wrong mediaType', () => {
    assert.equal(
      detectKind({ schemaVersion: 2, mediaType: MediaType.ociIndex, config: descriptor, layers: [] }),
      'ociManifest',
    );
    assert.equal(detectKind({ schemaVersion: 2, mediaType: MediaType.ociManifest, manifests: [] }), 'ociIndex');
  });

  it('recognises Docker schema2 by mediaType, or by its config and entries when mediaType is missing', () => {
    assert.equal(detectKind({ mediaType: MediaType.dockerManifest, config: descriptor, layers: [] }), 'dockerManifest');
    assert.equal(detectKind({ mediaType: MediaType.dockerManifestList, manifests: [] }), 'dockerManifestList');
    assert.equal(
      detectKind({ config: { ...descriptor, mediaType: MediaType.dockerConfig }, layers: [] }),
      'dockerManifest',
    );
    assert.equal(
      detectKind({ manifests: [{ ...descriptor, mediaType: MediaType.dockerManifest }] }),
      'dockerManifestList',
    );
  });

  it('recognises layout files by name', () => {
    assert.equal(
      detectKind({ schemaVersion: 2, manifests: [] }, { fileName: '/tmp/layout/index.json' }),
      'layoutIndex',
    );
    assert.equal(
      detectKind(
        { schemaVersion: 2, manifests: [{ ...descriptor, mediaType: MediaType.dockerManifest }] },
        { fileName: 'index.json' },
      ),
      'layoutIndex',
    );
    assert.equal(detectKind({}, { fileName: 'C:\\layout\\oci-layout' }), 'ociLayout');
    assert.equal(detectKind({ imageLayoutVersion: '1.0.0' }), 'ociLayout');
  });

  it('tells an image config (which has a "config" too) from a manifest', () => {
    assert.equal(
      detectKind({ architecture: 'amd64', os: 'linux', config: { Env: [] }, rootfs: { type: 'layers', diff_ids: [] } }),
      'imageConfig',
    );
    assert.equal(detectKind({ architecture: 'amd64', os: 'linux' }), 'imageConfig');
    assert.equal(detectKind({ created: 'x' }, { mediaType: MediaType.ociConfig }), 'imageConfig');
  });

  it('recognises a lone descriptor, even of a manifest', () => {
    assert.equal(detectKind(descriptor), 'descriptor');
  });

  it('uses the media type given by the caller when the content does not say', () => {
    assert.equal(detectKind({ schemaVersion: 2 }, { mediaType: MediaType.ociIndex }), 'ociIndex');
    assert.equal(detectKind({ schemaVersion: 2 }, { mediaType: MediaType.dockerManifest }), 'dockerManifest');
    assert.equal(detectKind({ schemaVersion: 2 }, { kind: 'descriptor' }), 'descriptor');
    assert.equal(detectKind({ name: 'x' }), 'unknown');
  });
});
