// The worker side of hashingThread.ts: for each open file, hashes every batch of chunks it is given and writes it
// at the file's position (one positioned writev). Several files interleave. The chunks' memory dies here and is
// collected here every few MiB: handing it back cost the worker ~0.2 s per GiB in postMessage alone.
// Bundled on its own (dist/hashingFileWorker.js): it loads nothing but Node's own modules.
import { createHash, type Hash } from 'node:crypto';
import { writevSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './hashingFileProtocol';
import { writeSteps } from './writeSegments';
import { collectEvery } from './youngGarbage';

interface OpenFile {
  fd: number;
  position: number;
  hash: Hash;
  failed: boolean;
}

const port = parentPort!;
const files = new Map<number, OpenFile>();

function reply(message: WorkerReply): void {
  port.postMessage(message);
}

port.on('message', (request: WorkerRequest) => {
  const { id } = request;
  if ('open' in request) {
    const { fd, position, algorithm } = request.open;
    files.set(id, { fd, position, hash: createHash(algorithm), failed: false });
    return;
  }
  if ('close' in request) {
    files.delete(id);
    reply({ id, closed: true });
    return;
  }
  const file = files.get(id);
  if ('end' in request) {
    if (file && !file.failed) reply({ id, digest: file.hash.digest('hex') });
    files.delete(id);
    return;
  }
  let bytes = 0;
  const views = request.buffers.map((buffer) => new Uint8Array(buffer));
  if (file && !file.failed) {
    try {
      for (const view of views) {
        file.hash.update(view);
        bytes += view.length;
      }
      writeAll(file, views);
    } catch (err) {
      file.failed = true;
      reply({ id, error: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } });
    }
  } else for (const view of views) bytes += view.length;
  // Counted as done even when not written: the main thread's memory budget must get these bytes back.
  reply({ id, done: bytes });
  collectEvery(bytes);
});

/** One positioned writev per group of at most 256 KiB (writeSegments.ts); what a short write left over goes again. */
function writeAll(file: OpenFile, batch: Uint8Array[]): void {
  const steps = writeSteps(batch, file.position);
  for (let step = steps.next(); !step.done;)
    step = steps.next(writevSync(file.fd, step.value.views, step.value.position));
  for (const view of batch) file.position += view.length;
}
