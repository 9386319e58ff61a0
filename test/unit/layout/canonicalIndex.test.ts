// An archive's index.json in its fixed order, made without a string per comparison nor the whole text as a string:
// the same bytes as sorting by `${ref.name}\0${digest}` and JSON.stringify gave, for names that order subtly.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalIndex, canonicalIndexBytes } from '../../../src/core/layout/archiveRewrite';
import { Annotation, MediaType, type Descriptor, type ImageIndex } from '../../../src/core/oci';

/** What archives were written with before: keys built for each comparison, the index stringified whole. */
function reference(index: ImageIndex): Buffer {
  const key = (d: Descriptor) => `${d.annotations?.[Annotation.refName] ?? '\uffff'}\u0000${d.digest}`;
  const manifests = [...index.manifests].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return Buffer.from(JSON.stringify({ ...index, manifests }));
}

const digest = (n: number) => `sha256:${createHash('sha256').update(String(n)).digest('hex')}`;

describe('an archive’s canonical index.json', () => {
  it('orders and writes entries byte for byte as before: prefixes, NUL, non-ASCII, untagged, one name twice', () => {
    const names = ['v1', 'v1.0', 'v1', 'a', 'a\u0000b', 'a\u0000', 'é', '😀', '\uffff', 'sha256-abc', undefined, 'Z'];
    const manifests: Descriptor[] = names.map((name, i) => ({
      mediaType: MediaType.ociManifest,
      digest: digest(i % 5),
      size: 100 + i,
      ...(name === undefined ? {} : { annotations: { [Annotation.refName]: name } }),
    }));
    // Enough entries that the text comes in several pieces (about 64 KiB each).
    for (let i = 0; i < 2000; i++)
      manifests.push({
        mediaType: MediaType.ociIndex,
        digest: digest(1000 + i),
        size: i,
        annotations: { [Annotation.refName]: `t${(i * 7919) % 2000}€` },
      });
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
    const bytes = canonicalIndexBytes(index);
    assert.ok(bytes.equals(reference(index)), 'not the bytes archives were written with');
    assert.deepEqual(JSON.parse(bytes.toString('utf8')), canonicalIndex(index));
    assert.ok(bytes.length > 128 * 1024);
  });
});
