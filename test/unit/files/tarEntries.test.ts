// forEachTarEntry returns only once the entry being handed out is done with: a caller that opens a file for an entry
// (files -o FILE opens its temporary file there) cleans up when the call fails, and must find that file opened by
// then. A source failing while the sink was still being opened let the call fail first: the file was opened after
// the clean-up, its descriptor left to the garbage collector and the temporary file left beside the output.
import * as assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { forEachTarEntry, throwIfEntryGone } from '../../../src/core/files/tarEntries';

/** The first `length` bytes of a tar holding one 4 KiB file. */
async function tarStart(length: number): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: 'a.txt', size: 4096 }, Buffer.alloc(4096, 0x61));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).subarray(0, length);
}

describe('forEachTarEntry (a layer read entry by entry)', () => {
  it('fails only after the entry being handed out settled, when the source fails meanwhile', async () => {
    const start = await tarStart(512 + 100);
    const source = new Readable({ read() {} });
    source.push(start);
    let sinkOpened = false;
    let failedWithSinkOpened: boolean | undefined;
    await assert.rejects(
      forEachTarEntry(
        source,
        [],
        async (_header, content) => {
          // The source fails while the sink is being opened (a file, in the caller).
          source.destroy(new Error('connection reset'));
          await new Promise((resolve) => setTimeout(resolve, 50));
          sinkOpened = true;
          throwIfEntryGone(content);
          await pipeline(content, new Writable({ write: (_chunk, _encoding, done) => done() })).catch(() => undefined);
        },
        'layer 1',
      ).finally(() => {
        failedWithSinkOpened = sinkOpened;
      }),
      /layer 1: the archive is corrupt or not a tar \(connection reset\)/,
    );
    assert.equal(failedWithSinkOpened, true, 'the call failed while the entry was still opening its sink');
  });
});
