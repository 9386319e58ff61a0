// Messages between hashedFileWrite.ts and its worker (types only: nothing here runs).
import type { Algorithm } from './digest';

export interface WorkerSetup {
  /** A file descriptor opened by the main thread (descriptors are shared by the process's threads). */
  fd: number;
  algorithm: Algorithm;
}

export type WorkerRequest =
  | { end?: false; buffer: ArrayBuffer; offset: number; length: number }
  | { end: true };

export type WorkerReply =
  | { done: number; buffer: ArrayBuffer; digest?: undefined; error?: undefined }
  | { digest: string; done?: undefined; error?: undefined }
  | { error: { message: string; code?: string }; done?: undefined; digest?: undefined };
