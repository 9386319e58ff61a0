// Writing buffers whole at a position of an open file: a write may take fewer bytes than given (a full disk, a
// signal), and what it left over must go again, not be lost.
import type { FileHandle } from 'node:fs/promises';
import { tookSome, writeGroups } from './writeSegments';

/**
 * Writes `buffers` from `position`, one positioned writev per group of at most 256 KiB (writeSegments.ts says why);
 * what a short write left over goes again.
 */
export async function writeAllAt(handle: FileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
  for (const group of writeGroups(buffers)) {
    let { bytesWritten } = await handle.writev(group, position);
    for (const buffer of group) {
      if (bytesWritten >= buffer.length) {
        bytesWritten -= buffer.length;
        position += buffer.length;
        continue;
      }
      for (let at = bytesWritten; at < buffer.length;)
        at += tookSome(
          (await handle.write(buffer, at, buffer.length - at, position + at)).bytesWritten,
          buffer.length - at,
        );
      position += buffer.length;
      bytesWritten = 0;
    }
  }
}
