// Proves document kinds are told apart by content, and by the file name or media type the caller knows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectKind, mayBeOciDocument } from '../../../src/core/lint';
import { MediaType } from '../../../src/core/oci/mediaTypes';
import { CORPUS } from './corpus';

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

  describe('mayBeOciDocument (the editor asks it before parsing any JSON file)', () => {
    function jsonFiles(dir: string): string[] {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? jsonFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    }

    it('says yes to every document of the lint corpus and image-spec vectors that detectKind recognises unaided', () => {
      let recognised = 0;
      for (const file of jsonFiles(CORPUS)) {
        const text = fs.readFileSync(file, 'utf8');
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          continue;
        }
        if (detectKind(value) === 'unknown') continue;
        recognised++;
        assert.ok(mayBeOciDocument(text), path.relative(CORPUS, file));
      }
      assert.ok(recognised > 100, `${recognised} recognised documents`);
    });

    it('says yes to the smallest document of each kind, and to a member name written with escapes', () => {
      const smallest = [
        { imageLayoutVersion: '1.0.0' },
        { mediaType: MediaType.ociIndex },
        { manifests: [] },
        { layers: [] },
        { config: descriptor },
        { rootfs: {} },
        { digest: descriptor.digest, size: 1 },
        { architecture: 'arm64', os: 'linux' },
      ];
      for (const document of smallest) {
        assert.notEqual(detectKind(document), 'unknown', JSON.stringify(document));
        assert.ok(mayBeOciDocument(JSON.stringify(document, null, 2)), JSON.stringify(document));
      }
      const escaped = '{"\\u006cayers": [], "schemaVersion": 2}';
      assert.equal(detectKind(JSON.parse(escaped)), 'ociManifest');
      assert.ok(mayBeOciDocument(escaped));
    });

    it('says no to the JSON a workspace is full of, without parsing it', () => {
      const lock = {
        name: 'app',
        lockfileVersion: 3,
        packages: Object.fromEntries(
          Array.from({ length: 2000 }, (_, i) => [
            `node_modules/p${i}`,
            { version: `1.0.${i}`, integrity: `sha512-${'a'.repeat(86)}==`, os: ['linux'], cpu: ['x64'] },
          ]),
        ),
      };
      for (const document of [lock, { compilerOptions: { strict: true } }, { name: 'x', scripts: {} }])
        assert.equal(mayBeOciDocument(JSON.stringify(document, null, 2)), false);
    });
  });
});
