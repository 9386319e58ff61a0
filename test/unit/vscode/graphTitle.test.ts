// The referrer graph's tab carries the whole repository path (namespace included), shortened in the middle only
// when very long, and a short digest when the graph was opened by digest.
import * as assert from 'node:assert/strict';
import { formatReference, type StoreRef } from '../../../src/core/oci';
import { graphTitle, shortenedPath } from '../../../src/vscode/graph/graphTitle';

const DIGEST = `sha256:${'0123456789ab'.repeat(5)}abcd`;

describe('graphTitle (the referrer graph tab)', () => {
  const demo: StoreRef = { kind: 'registry', host: '127.0.0.1:5000', repository: 'demo/artifact' };

  it('names the repository with its namespace and the tag, without the registry host', () => {
    assert.equal(graphTitle(demo, formatReference({ ...demo, tag: 'v1' })), 'Referrers: demo/artifact:v1');
  });

  it('names a graph opened by digest by its short digest, and a layout by its folder', () => {
    assert.equal(
      graphTitle(demo, formatReference({ ...demo, digest: DIGEST })),
      'Referrers: demo/artifact@sha256:0123456789ab…',
    );
    const layout: StoreRef = { kind: 'layout', path: '/work/layout' };
    assert.equal(graphTitle(layout, formatReference({ ...layout, tag: 'v1' })), 'Referrers: layout:v1');
  });

  it('shortens a very long repository path in the middle, keeping its namespace and last parts', () => {
    const long = 'platform-team/services/payments/internal/ledger-reconciliation';
    const shown = shortenedPath(long);
    assert.ok(shown.length <= 40, shown);
    assert.equal(shown, 'platform-team/…/ledger-reconciliation');
    assert.equal(
      shortenedPath('a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v'),
      'a/…/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v',
    );
    assert.equal(shortenedPath(`team/${'x'.repeat(60)}`), `…${'x'.repeat(39)}`);
    assert.equal(shortenedPath('demo/artifact'), 'demo/artifact');
  });
});
