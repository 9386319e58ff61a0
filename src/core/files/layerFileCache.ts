// Files read from inside layers, kept so that opening one again does not read and verify its whole layer again
// (a layer is often far larger than the file). Keyed by the layer's digest, how its bytes are read and the path: a
// layer is content addressed, so what is kept is never stale, whichever store the layer is read from. Bounded: only
// what readLayerFile answered (a file of at most `maxFileBytes`, or the description of one too large or of no
// file), least recently used first out once the total passes `maxTotalBytes`.
import type { ReadOnlyTarget } from '../content';
import type { Descriptor } from '../oci';
import { type LayerContentsLimits, layerTarCompression, normalisedEntryPath } from './layerContents';
import { type LayerFile, readLayerFile } from './layerFile';

export const DEFAULT_LAYER_FILE_CACHE_BYTES = 16 * 1024 * 1024;

/** What a kept answer is charged besides its bytes (its key, the entry, the map's own share). */
const ENTRY_OVERHEAD = 512;

export class LayerFileCache {
  /** Ordered from least to most recently used. */
  private readonly kept = new Map<string, { file: LayerFile; cost: number }>();
  private total = 0;

  constructor(private readonly maxTotalBytes = DEFAULT_LAYER_FILE_CACHE_BYTES) {}

  /** readLayerFile's answer, from what was kept when the same file of the same layer was read before. */
  async read(
    target: Pick<ReadOnlyTarget, 'fetchBlob'>,
    layer: Descriptor,
    path: string,
    options: { signal?: AbortSignal; limits?: LayerContentsLimits; maxFileBytes: number },
  ): Promise<LayerFile> {
    // The size cap is part of the answer (a file "too large" under one cap is read under a larger one), and so is
    // how the bytes are read: the media type, title and ORAS unpack mark decide it, and the same digest may come
    // named otherwise by another manifest.
    const key = JSON.stringify([
      layer.digest,
      layerTarCompression(layer) ?? null,
      options.maxFileBytes,
      normalisedEntryPath(path),
    ]);
    const hit = this.kept.get(key);
    if (hit) {
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit.file;
    }
    const file = await readLayerFile(target, layer, path, options);
    // Strings cost two bytes a character; an entry's link target may be megabytes.
    const names = key.length + file.entry.path.length + (file.entry.linkname?.length ?? 0);
    const cost = ENTRY_OVERHEAD + 2 * names + (file.kind === 'file' ? file.bytes.length : 0);
    if (cost > this.maxTotalBytes) return file;
    // Two opens of the same file at once both read it: the second answer replaces the first.
    const twin = this.kept.get(key);
    if (twin) {
      this.kept.delete(key);
      this.total -= twin.cost;
    }
    this.kept.set(key, { file, cost });
    this.total += cost;
    for (const [oldest, { cost: freed }] of this.kept) {
      if (this.total <= this.maxTotalBytes) break;
      this.kept.delete(oldest);
      this.total -= freed;
    }
    return file;
  }
}
