// The one sentence the editor's notice and the command line say when a backup or restore stops: manifests restored
// by digest are counted as such (a restore of untagged rows said "0 tags restored").
import * as assert from 'node:assert/strict';
import { DoneSoFar, describeStoppedTransfer, stoppedTransferWords } from '../../../src/core/graph';

describe('what a stopped backup or restore says it holds', () => {
  it('counts tags and manifests by digest from the run’s done events, not its starts or failures', () => {
    const done = new DoneSoFar();
    const at = { position: 1, count: 4 };
    done.onTag({ ...at, tag: 'v1', phase: 'start' });
    done.onTag({ ...at, tag: 'v1', phase: 'done' });
    done.onTag({ ...at, tag: 'v2', phase: 'failed' });
    done.onTag({ ...at, tag: 'sha256:' + 'a'.repeat(64), untagged: true, phase: 'done' });
    assert.deepEqual({ tags: done.tags, untagged: done.untagged }, { tags: 1, untagged: 1 });
    assert.equal(
      describeStoppedTransfer({
        run: 'restore',
        cancelled: true,
        where: 'r.io/app',
        done,
        again: 'Restore to Registry… again',
      }),
      'Restore cancelled: r.io/app has 1 tag and 1 manifest by digest restored whole so far, and the blobs pushed for the others. Restore to Registry… again pushes only what is missing.',
    );
  });

  it('says a backup that failed "stopped", with what it keeps, and names no manifest by digest when there is none', () => {
    const words = stoppedTransferWords({
      run: 'backup',
      cancelled: false,
      where: '/b/layout',
      done: { tags: 0, untagged: 0 },
      again: 'the same command again',
    });
    assert.deepEqual(words, {
      headline: 'Backup stopped',
      kept: '/b/layout keeps 0 tags backed up whole so far, and the blobs fetched for the others',
      rerun: 'the same command again fetches only what is missing',
    });
  });

  it('says a copy of many tags (copy --all-tags) copied, not restored: it may go into a layout', () => {
    const words = stoppedTransferWords({
      run: 'copy',
      cancelled: true,
      where: 'oci:/c/layout',
      done: { tags: 2, untagged: 0 },
      again: 'the same command again',
    });
    assert.deepEqual(words, {
      headline: 'Copy cancelled',
      kept: 'oci:/c/layout has 2 tags copied whole so far, and the blobs copied for the others',
      rerun: 'the same command again copies only what is missing',
    });
  });

  it("counts this run's tags, and says how many the destination lists in all only when that differs", () => {
    const stop = {
      run: 'backup',
      cancelled: true,
      where: 'oci:b',
      done: { tags: 2, untagged: 0 },
      again: 'Back Up Repository… into that folder again',
    } as const;
    assert.equal(
      stoppedTransferWords({ ...stop, listed: 3 }).kept,
      'oci:b keeps 2 tags backed up whole so far (3 tags in all), and the blobs fetched for the others',
    );
    assert.equal(
      stoppedTransferWords({ ...stop, listed: 2 }).kept,
      'oci:b keeps 2 tags backed up whole so far, and the blobs fetched for the others',
    );
  });
});
