import * as assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { readSmallBlob } from '../../../src/core/content/readSmallBlob';
import { OciError } from '../../../src/core/oci/errors';

const descriptor = { mediaType: 'application/vnd.in-toto+json', digest: `sha256:${'a'.repeat(64)}`, size: 4096 };

/** A store whose blob trickles: one byte now, then nothing more, whatever the signal says. */
function tricklingStore() {
  let given: AbortSignal | undefined;
  const store = {
    async fetchBlob(_d: unknown, options: { signal?: AbortSignal } = {}) {
      given = options.signal;
      const body = new PassThrough();
      body.write(Buffer.from('{'));
      return body as unknown as Readable;
    },
  };
  return { store, signal: () => given };
}

describe('readSmallBlob', () => {
  it('gives up on a document that trickles past its deadline, saying which blob and how long', async () => {
    const { store } = tricklingStore();
    const started = Date.now();
    await assert.rejects(readSmallBlob(store, descriptor, undefined, 1 << 20, 200), (err: unknown) => {
      assert.ok(err instanceof OciError);
      assert.equal(err.code, 'NETWORK');
      assert.match(err.message, /^blob sha256:a{64} \(4096 bytes\) was not read within 0\.2 s/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });

  it("leaves the caller's cancel its own, and lets go of the caller's signal when done", async () => {
    const { store, signal } = tricklingStore();
    const cancel = new AbortController();
    const reading = readSmallBlob(store, descriptor, cancel.signal, 1 << 20, 60_000);
    setTimeout(() => cancel.abort(new Error('cancelled by the user')), 50);
    await assert.rejects(reading, /cancelled by the user/);
    assert.equal(signal()?.aborted, true, 'the store was told');
    const whole = Buffer.from('{"_type":"x"}');
    const done = await readSmallBlob(
      { fetchBlob: async () => Readable.from([whole]) },
      { ...descriptor, size: whole.length },
      cancel.signal,
    );
    assert.deepEqual(done, whole);
  });
});
