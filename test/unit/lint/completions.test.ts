// Completions while writing a manifest by hand: media types that fit the place first, the empty descriptor where a
// config or layer goes, and nothing in JSON that is no OCI document.
import * as assert from 'node:assert/strict';
import { applyFix, completionsAt, lint } from '../../../src/core/lint';
import { EMPTY_DIGEST, MediaType } from '../../../src/core/oci';

/** Completions at the `|` of `text` (which is removed), best first. */
function at(text: string) {
  const offset = text.indexOf('|');
  const plain = text.slice(0, offset) + text.slice(offset + 1);
  const items = completionsAt(plain, offset).sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  const insert = (index = 0) =>
    applyFix(plain, {
      title: '',
      edits: [{ offset: items[index]!.offset, length: items[index]!.length, newText: items[index]!.insertText }],
    });
  return { items, labels: items.map((i) => i.label), insert };
}

describe('lint completions', () => {
  it('offers the types that fit first: the empty type for config, layer types for layers, manifest types on top', () => {
    assert.deepEqual(at('{"schemaVersion": 2, "config": {"mediaType": "|"}}').labels.slice(0, 2), [
      MediaType.ociEmpty,
      MediaType.ociConfig,
    ]);
    assert.equal(at('{"schemaVersion": 2, "layers": [{"mediaType": "|"}]}').labels[0], MediaType.ociLayerGzip);
    assert.deepEqual(at('{"schemaVersion": 2, "mediaType": |}').labels.slice(0, 2), [
      MediaType.ociManifest,
      MediaType.ociIndex,
    ]);
    assert.equal(at('{"schemaVersion": 2, "artifactType": "|"}').labels[0], MediaType.spdx);
    assert.equal(
      at('{"schemaVersion": 2, "manifests": [{"mediaType": "|"}]}').labels[0],
      MediaType.ociManifest,
      'an index entry',
    );
  });

  it('replaces the string being typed, quotes included, and explains each type', () => {
    const { items, insert } = at('{"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.em|"}}');
    assert.equal(
      insert(),
      `{"schemaVersion": 2, "config": {"mediaType": "${MediaType.ociEmpty}"}}`,
      'the partial value is replaced, not appended to',
    );
    assert.match(items[0]!.detail, /the two bytes `\{\}`/);
  });

  it('inserts the empty descriptor where a config or a layer goes, and the result lints clean once typed', () => {
    const config = at(
      '{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "artifactType": "application/x.report", "config": |, "layers": []}',
    );
    assert.deepEqual(config.labels, ['empty descriptor']);
    const written = config.insert();
    assert.equal(JSON.parse(written).config.digest, EMPTY_DIGEST);
    assert.deepEqual(
      lint(written).filter((p) => p.severity !== 'info'),
      [],
    );
    const layer = at('{"schemaVersion": 2, "layers": [{"mediaType": "text/plain", "digest": "x", "size": 1}, |]}');
    assert.deepEqual(layer.labels, ['empty descriptor']);
  });

  it('offers nothing in a document larger than a manifest may be (typing a quote there parses nothing)', () => {
    const huge = `{"schemaVersion": 2, "layers": [], "mediaType": "", "pad": "${'x'.repeat(4 * 1024 * 1024)}"}`;
    assert.deepEqual(completionsAt(huge, huge.indexOf('""') + 1), []);
    const small = '{"schemaVersion": 2, "layers": [], "mediaType": ""}';
    assert.notDeepEqual(completionsAt(small, small.indexOf('""') + 1), [], 'the same document, small, gets them');
  });

  it('offers nothing at keys, after a value, or in JSON that is no OCI document', () => {
    assert.deepEqual(at('{"schemaVersion": 2, "|"}').labels, []);
    assert.deepEqual(at('{"schemaVersion": 2, "mediaType": "a" |}').labels, []);
    assert.deepEqual(at('{"name": "my-package", "mediaType": "|"}').labels, []);
    assert.deepEqual(at('{"schemaVersion": 2, "annotations": {"a": "|"}}').labels, []);
  });
});
