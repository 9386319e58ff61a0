import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The young generation's size (MiB) after allocating objects that live a little while, in a fresh Node. */
function youngGenerationAfterWork(withEngineFlags: boolean): number {
  const script = `
    ${withEngineFlags ? `require(${JSON.stringify(path.resolve(__dirname, '../../../src/cli/engineFlags.js'))});` : ''}
    const v8 = require('node:v8');
    // A window of results alive for a while (tags judged, copied), as a command over thousands of tags keeps.
    let window = [];
    for (let i = 0; i < 2e6; i++) {
      window.push({ i, tag: 'v' + i });
      if (window.length > 2e5) window = [];
    }
    const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.stdout.write(String(young.space_size / 2 ** 20));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe("the CLI's engine flags", () => {
  it('keep the young generation at its first size under a long run of short-lived results (V8 grew it to 32 MiB)', function () {
    this.timeout(30_000);
    assert.ok(youngGenerationAfterWork(true) <= 4, 'the young generation grew');
    // What the flags change: without them the same work grows it (else this test proves nothing here).
    assert.ok(youngGenerationAfterWork(false) > 8, 'this Node no longer grows the young generation by itself');
  });
});
