import * as assert from 'node:assert/strict';
import { describeProgress } from '../../../src/cli/progress';

describe('CLI progress', () => {
  it('shows sizes in the one format the editor and the webview use', () => {
    const line = describeProgress({
      doneBytes: 1536,
      totalBytes: 50 * 1024 * 1024,
      doneItems: 1,
      totalItems: 3,
      skippedItems: 0,
    });
    assert.equal(line, '1.5 KiB / 50 MiB, 1/3 items');
  });
});
