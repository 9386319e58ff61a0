// One file inside one tar layer, found the way extracting the layer would leave it, its content handed to the sink
// the caller gives: a buffer for the editor, standard output or a temporary file for `stowage files`. One pass finds
// the entry; a hard link takes a second, for the one copy of the file it names that it was made to (the last before
// it: its content came earlier in the archive). A path the layer lists more than once is its last copy, as
// extracting (tar, a container runtime) replaces the earlier: each later copy is handed to the sink again and
// replaces what the earlier gave, and a sink that cannot take back what it got (bytes printed already) refuses the
// second copy. A file that a later entry replaces a folder above with is gone, as extracting leaves it.
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
  WHITEOUT_PREFIX,
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
  /**
   * For a hard link to a file the layer deletes: the whiteout that does (the link names it, or it names the file the
   * link names). A whiteout marks a deletion: it holds no content, and extracting leaves no file there to link to.
   */
  deletedBy?: string;
}

export interface FindInLayerOptions {
  signal?: AbortSignal;
  limits?: LayerContentsLimits;
  /** Sees every entry of the first pass not at the path (what deletes it from the layers below, for one). */
  onOtherEntry?: (entry: LayerEntry) => void;
}

/**
 * The entry at `wanted` (normalised) in the layer, its file content into `sink`; undefined when it holds none (or a
 * later entry of the layer replaced a folder above it with a file: extracting leaves that file, not the entry).
 */
export async function findInLayer(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layer: Descriptor,
  wanted: string,
  sink: FileCopySink,
  options: FindInLayerOptions = {},
): Promise<FoundInLayer | undefined> {
  const limits = options.limits ?? DEFAULT_LAYER_CONTENTS_LIMITS;
  /** The entry found, where, and (a hard link) where the copy of the file it names comes, as the link was made. */
  let found: (FoundInLayer & { at: number; fileAt?: number; deletedBy?: string }) | undefined;
  // Where each path was listed last so far (a hard link names the copy before it), and everywhere it was listed as
  // no folder: whether a folder above a link's file was replaced is worked out once, for the last entry at `wanted`
  // (each of thousands of links looking up every folder above a 4 KiB name held a CPU for minutes).
  const lastAt = new Map<string, number>();
  const notFolderAt = new Map<string, number[]>();
  let at = 0;
  await readLayer(target, layer, limits, options.signal, (entry) => {
    const here = at++;
    lastAt.set(entry.path, here);
    if (entry.type !== 'directory') {
      const places = notFolderAt.get(entry.path);
      if (places) places.push(here);
      else notFolderAt.set(entry.path, [here]);
    }
    if (entry.path !== wanted) {
      options.onOtherEntry?.(entry);
      // A file where a folder above the entry was: extracting replaces the folder and all it held.
      if (found && entry.type !== 'directory' && wanted.startsWith(`${entry.path}/`)) found = undefined;
      return undefined;
    }
    found = { entry, at: here, ...(entry.type === 'file' ? { file: entry } : {}) };
    if (entry.type === 'hardlink' && entry.linkname !== undefined) {
      found.fileAt = lastAt.get(entry.linkname);
      const whiteout = whiteoutOf(entry.linkname);
      if (isWhiteoutName(entry.linkname)) found.deletedBy = entry.linkname;
      else if (found.fileAt === undefined && lastAt.has(whiteout)) found.deletedBy = whiteout;
    }
    return entry.type === 'file' ? sink(entry, entry) : undefined;
  });
  if (!found) return undefined;
  const { entry, fileAt, deletedBy } = found;
  // A hard link naming nothing (an empty link name), nothing listed before it, or a whiteout is no file either.
  if (entry.type !== 'hardlink' || entry.linkname === undefined) return { entry, file: found.file };
  if (deletedBy !== undefined) return { entry, deletedBy };
  if (fileAt === undefined) return { entry };
  // The copy the link names is gone when a folder above it was replaced by a file after it (the link itself too).
  const linkAt = found.at;
  const replacedBetween = (folder: string) => notFolderAt.get(folder)?.some((p) => p > fileAt && p <= linkAt);
  if (ancestorsOf(entry.linkname).some(replacedBetween)) return { entry };
  // Only the copy the link was made to goes to the sink: one more pass, however often the layer lists the file.
  let file: LayerEntry | undefined;
  at = 0;
  await readLayer(target, layer, limits, options.signal, (linked) => {
    if (at++ !== fileAt) return undefined;
    file = linked.type === 'file' ? linked : undefined;
    return file ? sink(file, entry) : undefined;
  });
  return { entry, file };
}

/** "a/b/c" → ["a", "a/b"]. */
function ancestorsOf(entryPath: string): string[] {
  const parts = entryPath.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The whiteout that deletes `entryPath` ("a/.wh.b" for "a/b"). */
function whiteoutOf(entryPath: string): string {
  const cut = entryPath.lastIndexOf('/') + 1;
  return `${entryPath.slice(0, cut)}${WHITEOUT_PREFIX}${entryPath.slice(cut)}`;
}

/** Whether the last part of `entryPath` marks a deletion (`.wh.<name>` or the opaque marker), never a file. */
function isWhiteoutName(entryPath: string): boolean {
  return entryPath.slice(entryPath.lastIndexOf('/') + 1).startsWith(WHITEOUT_PREFIX);
}

export type LayerFile =
  | { kind: 'file'; entry: LayerEntry; bytes: Buffer }
  | { kind: 'too large'; entry: LayerEntry; size: number }
  | { kind: 'not a file'; entry: LayerEntry; deletedBy?: string };

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
  if (!file)
    return { kind: 'not a file', entry, ...(found.deletedBy !== undefined ? { deletedBy: found.deletedBy } : {}) };
  if (bytes === undefined) return { kind: 'too large', entry, size: file.size };
  return { kind: 'file', entry, bytes };
}
