// Reading a whole byte range of an open file: a read may return fewer bytes than asked (and 0 at the end of the
// file), so it is asked again until the range is full; a file that ends first is an error the caller words.
import type { FileHandle } from 'node:fs/promises';

/**
 * Fills `buffer` from `position` of the file. `ended(read)` makes the error thrown when the file ends after only
 * `read` bytes of the range.
 */
export async function readAllAt(
  handle: FileHandle,
  buffer: Uint8Array,
  position: number,
  ended: (read: number) => Error,
): Promise<void> {
  for (let done = 0; done < buffer.length;) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw ended(done);
    done += bytesRead;
  }
}
