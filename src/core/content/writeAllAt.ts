// Writing buffers whole at a position of an open file: a write may take fewer bytes than given (a full disk, a
// signal), and what it left over must go again, not be lost.
import type { FileHandle } from 'node:fs/promises';
import { writeSteps } from './writeSegments';

/**
 * Writes `buffers` from `position`, one positioned writev per group of at most 256 KiB (writeSegments.ts says why);
 * what a short write left over goes again.
 */
export async function writeAllAt(handle: FileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
  const steps = writeSteps(buffers, position);
  for (let step = steps.next(); !step.done;) {
    const { views, position: at } = step.value;
    const { bytesWritten } = await handle.writev(views, at);
    step = steps.next(bytesWritten);
  }
}
