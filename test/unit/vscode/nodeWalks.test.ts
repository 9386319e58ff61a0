import * as assert from 'node:assert/strict';
import { OciError } from '../../../src/core/oci/errors';
import { NodeWalks } from '../../../src/vscode/tree/nodeWalks';

describe('tree node walks', () => {
  it('aborts the loads of a node and of the nodes below it, and only those', () => {
    const walks = new NodeWalks();
    const repo = walks.start('reg/app');
    const tag = walks.start('reg/app/tag:v1');
    const referrer = walks.start('reg/app/tag:v1/referrers:sig/sha256:1');
    const sibling = walks.start('reg/application');
    walks.abortUnder('reg/app/tag:v1');
    assert.deepEqual([repo.aborted, tag.aborted, referrer.aborted, sibling.aborted], [false, true, true, false]);
    assert.ok(OciError.is(tag.reason, 'ABORTED'));
    assert.equal(walks.runningUnder('reg/app/tag:v1'), false);
    assert.equal(walks.size, 2);
  });

  it('forgets finished loads and aborts everything on a refresh of the whole view', () => {
    const walks = new NodeWalks();
    const done = walks.start('a');
    walks.finish('a', done);
    const running = walks.start('b');
    assert.equal(walks.size, 1);
    walks.abortUnder();
    assert.equal(done.aborted, false);
    assert.equal(running.aborted, true);
    assert.equal(walks.size, 0);
  });
});
