// The referrer graph's tab carries the whole repository path (namespace included), shortened in the middle only
// when very long, and a short digest when the graph was opened by digest.
import * as assert from 'node:assert/strict';
import { formatReference, type StoreRef } from '../../../src/core/oci';
import { graphExportFileName, graphTitle, shortenedPath } from '../../../src/vscode/graph/graphTitle';

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

describe('graphExportFileName (what Export SVG suggests)', () => {
  it('is <repository or layout name>-<tag or short digest>-referrers.svg', () => {
    const repo: StoreRef = { kind: 'registry', host: '127.0.0.1:5000', repository: 'team/app' };
    assert.equal(graphExportFileName(repo, formatReference({ ...repo, tag: 'v1.2' })), 'app-v1.2-referrers.svg');
    assert.equal(
      graphExportFileName(repo, formatReference({ ...repo, digest: DIGEST })),
      'app-0123456789ab-referrers.svg',
    );
    const layout: StoreRef = { kind: 'layout', path: '/root/.cache/stowage-demo/workspace/demo-layout' };
    assert.equal(
      graphExportFileName(layout, formatReference({ ...layout, tag: 'v1' })),
      'demo-layout-v1-referrers.svg',
    );
    const archive: StoreRef = { kind: 'layout', path: '/tmp/backup.tar', archive: true };
    assert.equal(
      graphExportFileName(archive, formatReference({ ...archive, tag: 'latest' })),
      'backup-latest-referrers.svg',
    );
  });

  it('turns what a file name cannot hold into "-"', () => {
    const layout: StoreRef = { kind: 'layout', path: 'C:\\data\\my layout:x' };
    assert.equal(graphExportFileName(layout, 'not a reference of it'), 'my-layout-x-referrers.svg');
    const odd: StoreRef = { kind: 'registry', host: 'h', repository: '..' };
    assert.equal(graphExportFileName(odd, formatReference({ ...odd, tag: 'v1' })), 'graph-v1-referrers.svg');
  });
});
