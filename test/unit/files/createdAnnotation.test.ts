// org.opencontainers.image.created is RFC 3339: a Date past what it can write is refused, never recorded otherwise.
import * as assert from 'node:assert/strict';
import { createdAnnotation } from '../../../src/core/files';

describe('createdAnnotation', () => {
  it('writes a Date as RFC 3339 up to the last second of 9999', () => {
    assert.equal(createdAnnotation(new Date(Date.UTC(9999, 11, 31, 23, 59, 59))), '9999-12-31T23:59:59Z');
  });

  it('refuses a Date past the year 9999 instead of recording "+010000-…"', () => {
    assert.throws(() => createdAnnotation(new Date(Date.UTC(10000, 0, 1))), /outside the years RFC 3339 can write/);
  });
});
