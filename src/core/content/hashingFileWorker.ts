// The worker side of hashingFileWrite.ts: hashes each batch of chunks it is given and hands it to Node's I/O
// threads to write (one positional writev per batch), so that this thread hashes the next batch while the last
// one is written; once written, the chunks' memory goes back (so dead buffers do not pile up here until a
// collection). The digest is answered after the last write: the main thread closes the file then.
// Bundled on its own (dist/hashingFileWorker.js): it loads nothing but Node's own modules.
import { createHash } from 'node:crypto';
import { writeSync, writev } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './hashingFileProtocol';

const { fd, algorithm } = workerData as WorkerSetup;
const hash = createHash(algorithm);
const port = parentPort!;
let failed = false;
/** Where the next batch goes in the file, and how many batches are being written. */
let position = 0;
let writing = 0;
let ended = false;
let releasing = false;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  reply({ error: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } });
}

function finishIfDone(): void {
  if (writing > 0) return;
  if (releasing) reply({ released: true });
  else if (ended && !failed) reply({ digest: hash.digest('hex') });
}

port.on('message', (request: WorkerRequest) => {
  if (request.release) {
    failed = releasing = true;
    finishIfDone();
    return;
  }
  if (failed) return;
  if (request.end) {
    ended = true;
    finishIfDone();
    return;
  }
  const views = request.buffers.map((buffer) => new Uint8Array(buffer));
  let bytes = 0;
  for (const view of views) {
    hash.update(view);
    bytes += view.length;
  }
  const at = position;
  position += bytes;
  writing++;
  writev(fd, views, at, (err, written) => {
    writing--;
    if (failed) {
      finishIfDone();
      return;
    }
    try {
      if (err) throw err;
      if (written < bytes) writeRest(views, written, at);
    } catch (error) {
      fail(error);
      return;
    }
    reply({ done: bytes, buffers: request.buffers }, request.buffers);
    finishIfDone();
  });
});

/** What a short write left over, written in place. */
function writeRest(views: Uint8Array[], written: number, at: number): void {
  let skip = written;
  let offset = at + written;
  for (const view of views) {
    if (skip >= view.length) {
      skip -= view.length;
      continue;
    }
    for (let from = skip; from < view.length;) {
      const n = writeSync(fd, view, from, view.length - from, offset);
      from += n;
      offset += n;
    }
    skip = 0;
  }
}
