// One table of words per kind of run (core/graph/stoppedTransfer.ts runWords): the command line's stop line and the
// editor's stopped notice say the same facts in the same words — a backup "backed up" its tags and "fetches" the rest
// again, a restore "restored" and "pushes", a copy "copied" and "copies" (the stop line said "done" and "moves").
import * as assert from 'node:assert/strict';
import { stoppedTransferWords, type RunKind } from '../../../src/core/graph';
import { describeRunStop, type RunStopRecord } from '../../../src/cli/runStop';

const STOP: RunStopRecord = {
  tag: 'v2',
  position: 2,
  count: 3,
  done: 1,
  unlisted: 0,
  failed: 0,
  left: 1,
  stop: 'failure',
  reason: 'blob unknown',
};

const WORDS: Record<RunKind, { done: string; moves: string }> = {
  backup: { done: 'backed up', moves: 'fetches' },
  restore: { done: 'restored', moves: 'pushes' },
  copy: { done: 'copied', moves: 'copies' },
};

describe('the words of a stopped run of many tags', () => {
  for (const [run, { done, moves }] of Object.entries(WORDS) as [RunKind, (typeof WORDS)[RunKind]][]) {
    it(`${run}: the stop line and the editor's notice both say "1 tag ${done}" and "${moves} only what is missing"`, () => {
      assert.equal(
        describeRunStop(STOP, run),
        `stopped at tag v2 (2/3): 1 tag ${done}, 1 left (a rerun ${moves} only what is missing; --keep-going goes on past a failing tag)`,
      );
      const notice = stoppedTransferWords({
        run,
        cancelled: false,
        where: 'there',
        done: { tags: 1, untagged: 0 },
        again: 'a rerun',
      });
      assert.match(notice.kept, new RegExp(`1 tag ${done} whole so far`));
      assert.equal(notice.rerun, `a rerun ${moves} only what is missing`);
    });
  }

  it('a stop at the last write of index.json says the tags stored and not listed, and that a rerun lists them', () => {
    assert.equal(
      describeRunStop(
        { ...STOP, listing: true, position: 3, done: 1, unlisted: 2, left: 0, stop: 'storage' },
        'backup',
      ),
      'stopped at the last write of index.json, after the last tag (3/3): 1 tag backed up, 2 stored but not listed in index.json, 0 left (a rerun lists those stored and fetches only what is missing; --keep-going does not go past the storage written to: make room or fix it first)',
    );
  });
});
