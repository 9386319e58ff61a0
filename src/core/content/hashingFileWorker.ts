// The worker side of hashingFileWrite.ts: hashes each batch of chunks it is given and writes it to the open file
// (one writev), then hands the chunks' memory back (so dead buffers do not pile up here until a collection).
// Bundled on its own (dist/hashingFileWorker.js): it loads nothing but Node's own modules.
import { createHash } from 'node:crypto';
import { writeSync, writevSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './hashingFileProtocol';

const { fd, algorithm } = workerData as WorkerSetup;
const hash = createHash(algorithm);
const port = parentPort!;
let failed = false;

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

port.on('message', (request: WorkerRequest) => {
  if (failed) return;
  if (request.end) {
    reply({ digest: hash.digest('hex') });
    return;
  }
  const views = request.buffers.map((buffer) => new Uint8Array(buffer));
  let bytes = 0;
  try {
    for (const view of views) {
      hash.update(view);
      bytes += view.length;
    }
    writeAll(views);
  } catch (err) {
    failed = true;
    reply({ error: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } });
    return;
  }
  reply({ done: bytes, buffers: request.buffers }, request.buffers);
});

/** One writev for the batch; what a short write left over goes again. */
function writeAll(views: Uint8Array[]): void {
  let written = writevSync(fd, views);
  for (const view of views) {
    if (written >= view.length) {
      written -= view.length;
      continue;
    }
    for (let at = written; at < view.length;) at += writeSync(fd, view, at);
    written = 0;
  }
}
