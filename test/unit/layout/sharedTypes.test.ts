// index.json entries share one string per media type (indexFile.ts sharedType), kept for the life of the process:
// only media types of a sensible length may be kept, or a hostile layout's index.json (or a registry's manifest)
// with a few long distinct types would stay on the heap of a long-lived process (the editor's extension host).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseIndex } from '../../../src/core/layout/indexFile';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('media type strings shared among index entries', () => {
  it('keeps no long hostile media type once its index is gone', () => {
    const digest = `sha256:${createHash('sha256').update('x').digest('hex')}`;
    const before = heapAfterCollection();
    // 48 distinct types of 256 KiB each: 12 MiB if kept.
    for (let i = 0; i < 48; i++) {
      const mediaType = `application/vnd.hostile.${i}+${'a'.repeat(256 * 1024)}`;
      const index = parseIndex(
        '/layout',
        JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType, digest, size: 1 }] }),
      );
      assert.equal(index.manifests[0]!.mediaType, mediaType);
    }
    const grown = heapAfterCollection() - before;
    assert.ok(grown < 4 * 1024 * 1024, `the heap kept ${(grown / 1024 / 1024).toFixed(1)} MiB`);
  });
});
