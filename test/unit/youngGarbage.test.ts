import * as assert from 'node:assert/strict';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { collectEvery, releaseWritten } from '../../src/core/content/youngGarbage';

/** Garbage collections of the young generation V8 reports while `work` runs. */
async function minorCollectionsDuring(work: () => void): Promise<number> {
  let seen = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)
        seen++;
  });
  observer.observe({ entryTypes: ['gc'] });
  work();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return seen;
}

describe('collectEvery (dead transfer buffers collected while a transfer runs)', function () {
  it('collects the young generation once 8 MiB have been handed on, not before', async () => {
    const MiB = 1024 * 1024;
    collectEvery(8 * MiB); // whatever an earlier test counted: start from a collection
    assert.equal(await minorCollectionsDuring(() => collectEvery(7 * MiB)), 0);
    assert.ok((await minorCollectionsDuring(() => collectEvery(1 * MiB))) >= 1);
  });

  it('leaves no gc function in contexts made afterwards', () => {
    collectEvery(8 * 1024 * 1024);
    assert.equal(runInNewContext('typeof gc'), 'undefined');
  });

  it('frees a written buffer that outlived two young collections (moved to the old generation) at the next one', async () => {
    const MiB = 1024 * 1024;
    const arrayBuffers = () => process.memoryUsage().arrayBuffers;
    // A batch waiting in a file's write queue while other files' writes run: it survives two young collections.
    let views: Uint8Array[] | undefined = [new Uint8Array(new ArrayBuffer(32 * MiB)).fill(1)];
    collectEvery(8 * MiB);
    collectEvery(8 * MiB);
    const held = arrayBuffers();
    releaseWritten(views);
    views = undefined;
    collectEvery(8 * MiB);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(held - arrayBuffers() >= 31 * MiB, `${((held - arrayBuffers()) / MiB).toFixed(1)} MiB freed`);
  });
});
