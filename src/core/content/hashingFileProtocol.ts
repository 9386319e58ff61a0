// Messages between hashingThread.ts and its worker (types only: nothing here runs). One worker serves several
// files at once; every message names the file it is about by a number the main thread chose.
import type { Algorithm } from '../oci';

export type WorkerRequest =
  /** Start a file: bytes go to `fd` (opened by the main thread; threads share descriptors) from `position` on. */
  | { id: number; open: { fd: number; position: number; algorithm: Algorithm } }
  /** Chunks in order, each a whole ArrayBuffer given to the worker. */
  | { id: number; buffers: ArrayBuffer[] }
  /** No more chunks: answer with the digest. */
  | { id: number; end: true }
  /** Forget the file (after a failure or an abort): answered once nothing more will be written to its descriptor. */
  | { id: number; close: true };

export type WorkerReply =
  /** Bytes hashed and written (their buffers die in the worker, which collects them: see youngGarbage.ts). */
  | { id: number; done: number }
  | { id: number; digest: string }
  | { id: number; error: { message: string; code?: string } }
  | { id: number; closed: true };
