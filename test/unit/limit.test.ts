import * as assert from 'node:assert/strict';
import { createLimiter } from '../../src/core/content/limit';

describe('createLimiter', () => {
  it('never runs more than n tasks at once, even when new tasks arrive as slots free up', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let peak = 0;
    const task = async (ms: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms;
    };
    const first = Array.from({ length: 10 }, (_, i) => limit(() => task(1 + (i % 3))));
    // Tasks added while others finish must wait for a slot too.
    const late = first.map((p) => p.then(() => limit(() => task(1))));
    const results = await Promise.all([...first, ...late]);
    assert.equal(results.length, 20);
    assert.equal(peak, 3);
  });

  it('releases the slot when a task fails', async () => {
    const limit = createLimiter(1);
    await assert.rejects(
      limit(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await limit(async () => 'next'), 'next');
  });

  it('rejects a concurrency that is not a whole number of at least 1', () => {
    assert.throws(() => createLimiter(0), /whole number/);
  });
});
