// Proves the set copyTags counts nodes (and keeps referrer tags) with: each digest added once, whatever the algorithm or text, and at most 32
// bytes a digest however many it holds (a Map of digest strings to records took about 200).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DigestSet } from '../../../src/core/graph/digestSet';

const digest = (i: number, algorithm = 'sha256') =>
  `${algorithm}:${createHash(algorithm).update(String(i)).digest('hex')}`;

describe('DigestSet', () => {
  it('says a digest is new only the first time it is added', () => {
    const set = new DigestSet();
    assert.equal(set.add(digest(1)), true);
    assert.equal(set.add(digest(2)), true);
    assert.equal(set.add(digest(1)), false);
    assert.equal(set.add(digest(1, 'sha512')), true);
    assert.equal(set.add('not a digest at all'), true);
    assert.equal(set.add('not a digest at all'), false);
    assert.equal(set.size, 4);
  });

  it('keeps 100,000 digests, each once, in at most 32 bytes a digest as it grows', () => {
    const set = new DigestSet();
    const count = 100_000;
    for (let i = 0; i < count; i++) assert.equal(set.add(digest(i)), true, `digest ${i} is new`);
    for (let i = 0; i < count; i += 997) assert.equal(set.add(digest(i)), false, `digest ${i} was added`);
    assert.equal(set.size, count);
    assert.ok(set.byteLength <= 32 * count, `${set.byteLength} bytes for ${count} digests`);
  });

  it('answers whether it holds a text, through its growth, without adding it (referrer tags kept for a copy)', () => {
    const set = new DigestSet();
    const tag = (i: number) => `sha256-${createHash('sha256').update(String(i)).digest('hex')}`;
    for (let i = 0; i < 5000; i += 2) set.add(tag(i));
    for (let i = 0; i < 5000; i++) assert.equal(set.has(tag(i)), i % 2 === 0, tag(i));
    assert.equal(set.has('v1'), false);
    assert.equal(set.size, 2500);
  });
});
