// Messages between hashingFileWrite.ts and its worker (types only: nothing here runs).
import type { Algorithm } from '../oci';

export interface WorkerSetup {
  /** A file descriptor opened by the main thread (descriptors are shared by the process's threads). */
  fd: number;
  algorithm: Algorithm;
}

/**
 * Chunks in order, each a whole ArrayBuffer given to the worker; the end of the content; or `release`: the write
 * is given up, answer `released` once no write of the worker's is still running (the descriptor closes then).
 */
export type WorkerRequest =
  | { end?: false; release?: false; buffers: ArrayBuffer[] }
  | { end: true; release?: false }
  | { release: true; end?: false };

/**
 * Bytes hashed and written, with their buffers handed back; the digest (hex) after the end, all written; a
 * failure; or `released` (see WorkerRequest).
 */
export type WorkerReply =
  | { done: number; buffers: ArrayBuffer[]; digest?: undefined; error?: undefined; released?: undefined }
  | { digest: string; done?: undefined; error?: undefined; released?: undefined }
  | { error: { message: string; code?: string }; done?: undefined; digest?: undefined; released?: undefined }
  | { released: true; done?: undefined; digest?: undefined; error?: undefined };
