// The worker side of hashedFileWrite.ts: hashes each chunk it is given and writes it to the open file, then hands
// the chunk's memory back (so dead buffers do not pile up in this thread until its next garbage collection).
// Bundled on its own (dist/hashingFileWorker.js): it loads nothing but Node's own modules.
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
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
  const bytes = new Uint8Array(request.buffer, request.offset, request.length);
  try {
    hash.update(bytes);
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
  } catch (err) {
    failed = true;
    reply({ error: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } });
    return;
  }
  reply({ done: request.length, buffer: request.buffer }, [request.buffer]);
});
