// Messages between hashingFileWrite.ts and its worker (types only: nothing here runs).
import type { Algorithm } from '../oci';

export interface WorkerSetup {
  /** A file descriptor opened by the main thread (descriptors are shared by the process's threads). */
  fd: number;
  algorithm: Algorithm;
}

/** Chunks in order, each a whole ArrayBuffer given to the worker; or the end of the content. */
export type WorkerRequest = { end?: false; buffers: ArrayBuffer[] } | { end: true };

/** Bytes hashed and written, with their buffers handed back; the digest (hex) after the end; or a failure. */
export type WorkerReply =
  | { done: number; buffers: ArrayBuffer[]; digest?: undefined; error?: undefined }
  | { digest: string; done?: undefined; error?: undefined }
  | { error: { message: string; code?: string }; done?: undefined; digest?: undefined };
