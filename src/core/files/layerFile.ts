// One file inside one tar layer, found the way extracting the layer would leave it, its content handed to the sink
// the caller gives: a buffer for the editor, standard output or a temporary file for `stowage files`. One pass finds
// the entry; a hard link takes a second, for the file it names (its content came earlier in the archive). A path
// the layer lists more than once is its last copy, as extracting (tar, a container runtime) replaces the earlier:
// each later copy is handed to the sink again and replaces what the earlier gave, and a sink that cannot take back
// what it got (bytes printed already) refuses the second copy.
import { Writable } from 'node:stream';
import type { ReadOnlyTarget } from '../content';
import { type Descriptor, OciError, printable } from '../oci';
import {
  type ContentSink,
  DEFAULT_LAYER_CONTENTS_LIMITS,
  layerName,
  type LayerContentsLimits,
  type LayerEntry,
  normalisedEntryPath,
  readLayer,
} from './layerContents';

/**
 * Where one copy of the file's content goes, or undefined to skip it (a file too large to take). `file` is the
 * entry whose bytes these are; `asked` the entry at the path asked for (a hard link, when it names `file`).
 */
export type FileCopySink = (file: LayerEntry, asked: LayerEntry) => Promise<ContentSink | undefined>;

export interface FoundInLayer {
  /** The entry at the path: its last copy in the layer. */
  entry: LayerEntry;
  /**
   * The file whose content the entry has, the last given to the sink: the entry itself, or the file a hard link
   * names (its last copy before the link, which is what the link was made to). None for a folder, a symbolic link, a
   * special file or a hard link naming no file.
   */
  file?: LayerEntry;
}

export interface FindInLayerOptions {
  signal?: AbortSignal;
  limits?: LayerContentsLimits;
  /** Sees every entry of the first pass not at the path (what deletes it from the layers below, for one). */
  onOtherEntry?: (entry: LayerEntry) => void;
}

/** The entry at `wanted` (normalised) in the layer, its file content into `sink`; undefined when it holds none. */
export async function findInLayer(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layer: Descriptor,
  wanted: string,
  sink: FileCopySink,
  options: FindInLayerOptions = {},
): Promise<FoundInLayer | undefined> {
  const limits = options.limits ?? DEFAULT_LAYER_CONTENTS_LIMITS;
  let found: (FoundInLayer & { at: number }) | undefined;
  let at = 0;
  await readLayer(target, layer, limits, options.signal, (entry) => {
    const here = at++;
    if (entry.path !== wanted) {
      options.onOtherEntry?.(entry);
      return undefined;
    }
    found = { entry, at: here, ...(entry.type === 'file' ? { file: entry } : {}) };
    return entry.type === 'file' ? sink(entry, entry) : undefined;
  });
  if (!found) return undefined;
  const { entry } = found;
  // A hard link naming nothing (an empty link name) is no file either.
  if (entry.type !== 'hardlink' || entry.linkname === undefined) return { entry, file: found.file };
  let file: LayerEntry | undefined;
  at = 0;
  await readLayer(target, layer, limits, options.signal, (linked) => {
    // A copy of the name after the link replaces the name, not the file the link was made to.
    if (at++ >= found!.at || linked.path !== entry.linkname) return undefined;
    file = linked.type === 'file' ? linked : undefined;
    return file ? sink(file, entry) : undefined;
  });
  return { entry, file };
}

export type LayerFile =
  | { kind: 'file'; entry: LayerEntry; bytes: Buffer }
  | { kind: 'too large'; entry: LayerEntry; size: number }
  | { kind: 'not a file'; entry: LayerEntry };

/**
 * The content of the file at `path` in the layer (a hard link's is the file's it names), once the whole layer was
 * read and verified; a file larger than `maxFileBytes` is described, not read. Throws NOT_FOUND naming the path
 * when the layer has no such entry.
 */
export async function readLayerFile(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layer: Descriptor,
  path: string,
  options: { signal?: AbortSignal; limits?: LayerContentsLimits; maxFileBytes: number },
): Promise<LayerFile> {
  const wanted = normalisedEntryPath(path);
  let bytes: Buffer | undefined;
  const found = await findInLayer(
    target,
    layer,
    wanted,
    async (file) => {
      bytes = undefined;
      if (file.size > options.maxFileBytes) return undefined;
      const chunks: Buffer[] = [];
      const into = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
        final(done) {
          bytes = Buffer.concat(chunks);
          done();
        },
      });
      return { into };
    },
    options,
  );
  if (!found) throw new OciError('NOT_FOUND', `${layerName(layer)} holds no entry "${printable(wanted)}"`);
  const { entry, file } = found;
  if (!file) return { kind: 'not a file', entry };
  if (bytes === undefined) return { kind: 'too large', entry, size: file.size };
  return { kind: 'file', entry, bytes };
}
