// Whether a file already at a pull's destination holds exactly the bytes of the layer that would replace it: then
// it is left as it is, and a pull run again into the same folder succeeds without replacing (or downloading) it.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { algorithmOf, digestProblem, type Descriptor } from '../oci';
import { fileChunks } from '../content';

/** True when `file` (whose lstat is `existing`) is a regular file of the layer's size and digest. */
export async function holdsLayer(
  file: string,
  existing: Stats,
  layer: Descriptor,
  signal?: AbortSignal,
): Promise<boolean> {
  if (!existing.isFile() || existing.size !== layer.size || digestProblem(layer.digest)) return false;
  const hash = createHash(algorithmOf(layer.digest));
  try {
    // Opened as the file checked, without following a link swapped in since.
    for await (const chunk of fileChunks(file, { size: layer.size, signal, checked: existing })) hash.update(chunk);
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    return false;
  }
  return `${algorithmOf(layer.digest)}:${hash.digest('hex')}` === layer.digest;
}
