// The ring behind archive writes and file copies into a layout: chunks written in order, one at a time, each
// buffer refilled only after its write; a failed write ends the copy with its error and writes nothing after it.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { COPY_CHUNK, copyPipelined } from '../../../src/core/content/pipelinedCopy';
import { Hasher, digestOf } from '../../../src/core/content';

describe('copyPipelined (the ring of reused buffers)', () => {
  const source = randomBytes(7 * COPY_CHUNK + 11);
  const read = async (buffer: Buffer, at: number) => {
    await new Promise((resolve) => setImmediate(resolve));
    source.copy(buffer, 0, at, at + buffer.length);
  };

  it('writes every chunk in order, never two at once, and hashes what it writes', async () => {
    const written: Buffer[] = [];
    let writing = 0;
    let mostAtOnce = 0;
    const hasher = new Hasher({ expected: digestOf(source), expectedSize: source.length });
    await copyPipelined(
      source.length,
      read,
      async (chunk) => {
        mostAtOnce = Math.max(mostAtOnce, ++writing);
        await new Promise((resolve) => setTimeout(resolve, 2));
        written.push(Buffer.from(chunk));
        writing--;
      },
      hasher,
    );
    hasher.finish();
    assert.equal(mostAtOnce, 1, 'writes overlapped');
    assert.ok(Buffer.concat(written).equals(source));
  });

  it('a failed write ends the copy with its error, never as an unhandled rejection; nothing after it is written or still running', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    after(() => process.off('unhandledRejection', onUnhandled));
    let calls = 0;
    let running = 0;
    const failure = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    await assert.rejects(
      copyPipelined(
        source.length,
        async (buffer, at) => {
          running++;
          await read(buffer, at);
          running--;
        },
        async () => {
          running++;
          await new Promise((resolve) => setImmediate(resolve));
          running--;
          if (++calls === 3) throw failure;
        },
        undefined,
      ),
      (err: unknown) => err === failure,
    );
    assert.equal(calls, 3, 'a chunk after the failed one was written');
    assert.equal(running, 0, 'a read or write was still running');
    // A rejection Node sees unhandled for a moment ends the CLI (Node's default) instead of reporting the error.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  });
});
