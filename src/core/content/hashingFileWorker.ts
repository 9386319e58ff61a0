// The worker side of hashingThread.ts: for each open file, hashes every batch of chunks it is given and writes it
// at the file's position. The writes go to libuv's pool, so the next batch is hashed while one is written: hashing
// then writing in turn made this thread the slowest stage of a pull (SHA-256 and the page-cache copy each take
// about as long as the network). A file's writes run one after another, in order. Several files interleave. The
// chunks' memory dies here and is collected here every few MiB: handing it back cost the worker ~0.2 s per GiB in
// postMessage alone.
// Bundled on its own (dist/hashingFileWorker.js): it loads nothing but Node's own modules.
import { createHash, type Hash } from 'node:crypto';
import { writev } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './hashingFileProtocol';
import { writeSteps } from './writeSegments';
import { collectEvery, releaseWritten } from './youngGarbage';

interface OpenFile {
  fd: number;
  position: number;
  hash: Hash;
  failed: boolean;
  /** Set by close: batches still queued are not written. */
  closing: boolean;
  /** The file's writes so far, in order. */
  writes: Promise<void>;
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
    files.set(id, {
      fd,
      position,
      hash: createHash(algorithm),
      failed: false,
      closing: false,
      writes: Promise.resolve(),
    });
    return;
  }
  const file = files.get(id);
  if ('close' in request) {
    files.delete(id);
    if (file) file.closing = true;
    // Answered once the write under way, if any, is over: nothing is written to the descriptor after this.
    void (file?.writes ?? Promise.resolve()).then(() => reply({ id, closed: true }));
    return;
  }
  if ('end' in request) {
    if (!file || file.failed) {
      files.delete(id);
      return;
    }
    // Hashed already; the digest goes back only once every byte is written (the caller then closes and renames).
    // The file stays known until then: a close after an abort during the end must wait for those writes too.
    const digest = file.hash.digest('hex');
    void file.writes.then(() => {
      if (files.get(id) === file) files.delete(id);
      if (!file.failed && !file.closing) reply({ id, digest });
    });
    return;
  }
  const views = request.buffers.map((buffer) => new Uint8Array(buffer));
  let bytes = 0;
  for (const view of views) bytes += view.length;
  if (!file || file.failed || file.closing) {
    // Counted as done even when not written: the main thread's memory budget must get these bytes back.
    reply({ id, done: bytes });
    return;
  }
  for (const view of views) file.hash.update(view);
  const position = file.position;
  file.position += bytes;
  file.writes = file.writes.then(async () => {
    try {
      if (!file.failed && !file.closing) await writeAll(file.fd, views, position);
    } catch (err) {
      file.failed = true;
      reply({ id, error: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } });
    }
    releaseWritten(views);
    reply({ id, done: bytes });
    collectEvery(bytes);
  });
});

/** One positioned writev per group of at most 256 KiB (writeSegments.ts); what a short write left over goes again. */
async function writeAll(fd: number, batch: Uint8Array[], position: number): Promise<void> {
  const steps = writeSteps(batch, position);
  for (let step = steps.next(); !step.done;)
    step = steps.next(await writevAt(fd, step.value.views, step.value.position));
}

function writevAt(fd: number, views: Uint8Array[], position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    writev(fd, views, position, (err, written) => (err ? reject(err) : resolve(written))),
  );
}
