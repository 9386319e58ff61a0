// What hashingFileWrite.ts and its hashing thread share (types and layout only: nothing here runs).
//
// Each file being written has a ring of shared memory: the main thread copies the bytes it receives into the
// ring, the thread hashes them out of it. No message per chunk: the counters below, in a small shared array of
// their own, say how much of the ring holds bytes not hashed yet, and one shared doorbell wakes the thread.
import type { MessagePort } from 'node:worker_threads';
import type { Algorithm } from '../oci';

/** Indexes into a ring's control array (Int32Array over a SharedArrayBuffer). */
export const FILLED = 0;
/** 0 while bytes may still come; ENDED once all are in the ring; ABANDONED when the write failed or stopped. */
export const STATE = 1;
export const OPEN = 0;
export const ENDED = 1;
export const ABANDONED = 2;
export const CONTROL_LENGTH = 2;

/** Indexes into the doorbell array: 1 when the thread is to end; 1 while the thread sleeps (or is about to). */
export const STOP = 1;
export const SLEEPING = 2;
export const DOORBELL_LENGTH = 3;

export interface HashingThreadSetup {
  /**
   * Int32Array[DOORBELL_LENGTH] over shared memory: [0] is bumped whenever any ring changes or a message is
   * posted, and notified when [SLEEPING] says the thread waits on it (a wake costs a system call: not one per
   * chunk); [STOP] is set when the thread is to end.
   */
  doorbell: SharedArrayBuffer;
  /** The port the thread reads new rings from (synchronously, between hashing). */
  port: MessagePort;
}

/** A new file to hash: its ring and control array. */
export interface RingOpen {
  id: number;
  algorithm: Algorithm;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** The digest (hex) of a ring whose bytes all arrived. */
export interface RingDigest {
  id: number;
  digest: string;
}
