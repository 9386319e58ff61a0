// Proves index.json is written in pieces of about 64 KiB with exactly the bytes JSON.stringify gives: a backup of
// 10,000 signed tags wrote its 4.9 MB index whole (string and UTF-8 copy) about once a second while staging.
import * as assert from 'node:assert/strict';
import { indexTextPieces } from '../../../src/core/layout/indexText';
import type { ImageIndex } from '../../../src/core/oci';

describe('indexTextPieces (index.json as text, in pieces)', () => {
  const manifest = (i: number) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    size: 400 + i,
    annotations: { 'org.opencontainers.image.ref.name': `tag-${i}-é雪` },
  });

  it('gives the bytes JSON.stringify gives, in pieces of about 64 KiB, and counts them in UTF-8', () => {
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: Array.from({ length: 5000 }, (_, i) => manifest(i)),
      annotations: { note: '"manifests":[] in a value, ünïcode' },
      dropped: undefined,
    } as unknown as ImageIndex;
    const counted = { bytes: 0 };
    const pieces = [...indexTextPieces(index, counted)];
    const whole = JSON.stringify(index);
    assert.equal(pieces.join(''), whole);
    assert.equal(counted.bytes, Buffer.byteLength(whole));
    assert.ok(pieces.length > 5, `${pieces.length} pieces for ${whole.length} characters`);
    assert.ok(
      pieces.every((piece) => piece.length < 64 * 1024 + 1024),
      'a piece holds about 64 KiB, not the whole index',
    );
  });

  it('gives the same text as JSON.stringify for an empty index and one without manifests', () => {
    for (const index of [
      { schemaVersion: 2, manifests: [] },
      { schemaVersion: 2 },
      { manifests: [manifest(1)], schemaVersion: 2 },
    ] as unknown as ImageIndex[]) {
      const counted = { bytes: 0 };
      assert.equal([...indexTextPieces(index, counted)].join(''), JSON.stringify(index));
      assert.equal(counted.bytes, Buffer.byteLength(JSON.stringify(index)));
    }
  });
});
