// A run's signal keeps nothing of the requests and copies made under it: Node's AbortSignal.any kept a reference per
// request in it for the whole run (about a kilobyte a tag over a copy of many tags); linkedAbort lets go when done.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { copy } from '../../src/core/graph';
import { MemoryTarget } from '../../src/core/memory';
import { linkedAbort } from '../../src/core/content';
import { withDeadline } from '../../src/core/registry/deadline';
import { pushArtifact } from '../helpers/sampleArtifact';

/** What `signal` holds of signals made to follow it: its abort listeners and Node's own list of dependants. */
function heldBy(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const set = dependants && (signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants];
  return getEventListeners(signal, 'abort').length + (set?.size ?? 0);
}

describe('linkedAbort: a long-lived signal followed without growing', () => {
  it('aborts with its parent’s reason or its own, and leaves nothing in the parent once unlinked', () => {
    const parent = new AbortController();
    const first = linkedAbort(parent.signal);
    const second = linkedAbort(parent.signal);
    assert.equal(heldBy(parent.signal), 2);
    second.abort(new Error('own'));
    assert.equal((second.signal.reason as Error).message, 'own');
    assert.equal(heldBy(parent.signal), 1, 'an aborted link lets go of its parent');
    parent.abort(new Error('cancelled'));
    assert.equal((first.signal.reason as Error).message, 'cancelled');
    assert.equal(linkedAbort(parent.signal).signal.aborted, true, 'a link to an aborted parent starts aborted');
    const loose = linkedAbort(undefined);
    loose.abort('x');
    assert.equal(loose.signal.aborted, true);
  });

  it('lets any number of requests follow one signal without Node’s leak warning (they leave with their requests)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const run = new AbortController();
      const links = Array.from({ length: 25 }, () => linkedAbort(run.signal));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
      for (const link of links) link.unlink();
      assert.equal(heldBy(run.signal), 0);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('keeps nothing in a run’s signal of the requests and copies made under it', async () => {
    const run = new AbortController();
    const answer = (): Dispatcher.ResponseData =>
      ({
        statusCode: 200,
        headers: {},
        body: Readable.from([Buffer.from('{}')]),
      }) as unknown as Dispatcher.ResponseData;
    for (let i = 0; i < 50; i++) {
      const res = await withDeadline(60_000, run.signal, 'example.test', 'a request', async () => answer());
      await new Promise((resolve) => res.body.resume().once('close', resolve));
    }
    const src = new MemoryTarget();
    const dst = new MemoryTarget();
    const { manifest } = await pushArtifact(src, 'content', { tag: 'v1' });
    for (let i = 0; i < 50; i++) await copy(src, manifest, dst, { signal: run.signal });
    assert.equal(heldBy(run.signal), 0);
  });
});
