// The hashing thread of hashingFileWrite.ts: hashes the bytes the main thread copies into each file's ring of
// shared memory, for every file being written at once, and answers each file's digest once its bytes are in.
// It only hashes: the main thread writes the files (through Node's I/O threads), so hashing, socket reads and
// disk writes all run side by side. Bundled on its own (dist/hashingFileWorker.js): only Node's own modules.
import { createHash, type Hash } from 'node:crypto';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  ABANDONED,
  ENDED,
  FILLED,
  STATE,
  SLEEPING,
  STOP,
  type HashingThreadSetup,
  type RingDigest,
  type RingOpen,
} from './hashingFileProtocol';

/** Hashed in steps of at most this much, so the main thread gets room in the ring back early. */
const STEP = 256 * 1024;

interface Ring {
  id: number;
  bytes: Uint8Array;
  control: Int32Array;
  hash: Hash;
  /** Where the next unhashed byte is. */
  at: number;
}

const { doorbell: doorbellMemory, port } = workerData as HashingThreadSetup;
const doorbell = new Int32Array(doorbellMemory);
const rings = new Map<number, Ring>();

while (Atomics.load(doorbell, STOP) === 0) {
  // Read before looking at the rings: a change made after this read makes the wait below return at once.
  const rang = Atomics.load(doorbell, 0);
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
    const open = message.message as RingOpen;
    rings.set(open.id, {
      id: open.id,
      bytes: new Uint8Array(open.ring),
      control: new Int32Array(open.control),
      hash: createHash(open.algorithm),
      at: 0,
    });
  }
  let progressed = false;
  for (const ring of rings.values()) progressed = serve(ring) || progressed;
  if (progressed) continue;
  // Said before waiting: a ring changed after `rang` was read either shows in the doorbell (the wait returns at
  // once) or sees this flag and wakes us.
  Atomics.store(doorbell, SLEEPING, 1);
  Atomics.wait(doorbell, 0, rang);
  Atomics.store(doorbell, SLEEPING, 0);
}
port.close();

/** Hashes what the ring holds; answers the digest at its end. True when anything happened. */
function serve(ring: Ring): boolean {
  const state = Atomics.load(ring.control, STATE);
  if (state === ABANDONED) {
    rings.delete(ring.id);
    return true;
  }
  const filled = Atomics.load(ring.control, FILLED);
  if (filled > 0) {
    const length = Math.min(filled, STEP, ring.bytes.length - ring.at);
    ring.hash.update(ring.bytes.subarray(ring.at, ring.at + length));
    ring.at = (ring.at + length) % ring.bytes.length;
    Atomics.sub(ring.control, FILLED, length);
    Atomics.notify(ring.control, FILLED);
    return true;
  }
  if (state !== ENDED) return false;
  rings.delete(ring.id);
  parentPort!.postMessage({ id: ring.id, digest: ring.hash.digest('hex') } satisfies RingDigest);
  return true;
}
