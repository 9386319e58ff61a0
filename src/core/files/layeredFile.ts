// One file of an artifact as its layers make it up, without pulling them: looked for from the top-most layer down,
// as a container's filesystem has it. A layer above can delete the path (image-spec whiteouts: `.wh.<name>` of it
// or of a folder above it, an opaque marker `.wh..wh..opq` in a folder above it, or a file where a folder above it
// was), and then the file is gone, whatever lies below. A titled layer (not an ORAS folder) is a file at its title,
// as a pull writes it; one named like a tar (`x.tar`, `.tgz`) also holds the paths its archive lists. The content
// streams into what `open` gives, once the entry is found; each layer read is read whole, so a layer that does not
// match its digest fails the command after the fact (as `blob fetch -o -` does).
import { pipeline } from 'node:stream/promises';
import type { ReadOnlyTarget } from '../content';
import { type Descriptor, DigestMismatchError, OciError, printable } from '../oci';
import {
  type ContentSink,
  layerForm,
  type LayerContentsLimits,
  type LayerEntry,
  normalisedEntryPath,
  OPAQUE_WHITEOUT,
  WHITEOUT_PREFIX,
} from './layerContents';
import { findInLayer } from './layerFile';

export interface FoundLayerFile {
  /** The layer's place in the manifest, from 0. */
  index: number;
  layer: Descriptor;
  /** The entry asked for (a hard link's, when its content came from what it names). */
  entry: LayerEntry;
  /** Whose content this is: the entry, or the file a hard link names (set for each copy handed to `open`). */
  file?: LayerEntry;
}

/** A layer and its place in the manifest (from 0), which messages name ("layer 3"). */
export interface NumberedLayer {
  index: number;
  descriptor: Descriptor;
}

export interface LayeredFileOptions {
  signal?: AbortSignal;
  limits?: LayerContentsLimits;
}

/**
 * Streams the file at `path` from the top-most of `layers` that holds it into the sink `open` gives; resolves with
 * where it was found once that layer was read whole. A layer listing the path more than once holds its last copy:
 * `open` is called again for each later copy, whose sink replaces the earlier's (or `open` refuses). Throws NOT_FOUND when no layer holds it or one above deleted
 * it, and UNSUPPORTED when it is a folder, a symlink or a special file there (naming what it is).
 */
export async function streamLayeredFile(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layers: readonly NumberedLayer[],
  path: string,
  open: (found: FoundLayerFile) => Promise<ContentSink>,
  options: LayeredFileOptions = {},
): Promise<FoundLayerFile> {
  const wanted = normalisedEntryPath(path);
  if (wanted === '') throw new OciError('USAGE', 'name a file inside the layers, not their root');
  for (const { index, descriptor: layer } of [...layers].reverse()) {
    const place = `layer ${index + 1} (${layer.digest})`;
    const form = layerForm(layer);
    // A titled tar is the file a pull writes at its title, and what it holds below that, as the tree shows it.
    if (form.kind !== 'tar' && !(form.kind === 'file' && form.tar && form.path !== wanted)) {
      if (form.kind !== 'file' || form.path !== wanted) continue;
      const found = { index, layer, entry: { path: wanted, type: 'file' as const, size: layer.size, mode: 0o644 } };
      const sink = await open(found);
      await pipeline(await target.fetchBlob(layer, { signal: options.signal }), sink.into, { end: sink.end ?? true });
      return found;
    }
    // A file where a folder above the path was deletes it from below even when the folder is listed again after:
    // extracting (a container runtime's) removes what is at a path unless both are folders, then makes the folder.
    let whitedOutBy: string | undefined;
    const found = await findInLayer(
      target,
      layer,
      wanted,
      (file, asked) => open({ index, layer, entry: asked, file }),
      {
        ...options,
        onOtherEntry: (entry) => {
          if (whitedOutBy === undefined && deletesFromBelow(entry, wanted)) whitedOutBy = entry.path;
        },
      },
    ).catch((err: unknown) => {
      // A file named like a tar that is none holds no paths: it is the file a pull writes, and nothing below it.
      if (form.kind === 'file' && isUnreadableArchive(err)) return undefined;
      throw err;
    });
    if (found) {
      const { entry, file, deletedBy } = found;
      if (file) return { index, layer, entry };
      if (entry.type === 'hardlink' && deletedBy !== undefined)
        throw new OciError(
          'NOT_FOUND',
          `"${printable(wanted)}" in ${place} is a hard link to "${printable(entry.linkname ?? '')}", which ${place} deletes (${printable(deletedBy)} is a whiteout: it holds no file, extracting leaves nothing to link to)`,
        );
      if (entry.type === 'hardlink')
        throw new OciError(
          'NOT_FOUND',
          `"${printable(wanted)}" in ${place} is a hard link to "${printable(entry.linkname ?? '')}", which is no file there`,
        );
      throw new OciError('UNSUPPORTED', `"${printable(wanted)}" in ${place} is ${describeEntry(entry)}, not a file`);
    }
    const deletedBy = whitedOutBy;
    if (deletedBy)
      throw new OciError(
        'NOT_FOUND',
        `"${printable(wanted)}" was deleted by ${place}: ${printable(deletedBy)} hides it from the layers below`,
      );
  }
  const looked = layers.length === 1 ? `layer ${layers[0]!.index + 1}` : `${layers.length} layers looked into`;
  throw new OciError('NOT_FOUND', `no layer holds "${printable(wanted)}" (${looked})`);
}

/** The parser's refusal of bytes that are no tar (not a digest that does not match, which fails the command). */
export function isUnreadableArchive(err: unknown): boolean {
  return err instanceof OciError && err.code === 'INVALID_CONTENT' && !(err instanceof DigestMismatchError);
}

/** Whether `entry` of a layer hides `wanted` of the layers below it. */
export function deletesFromBelow(entry: LayerEntry, wanted: string): boolean {
  const cut = entry.path.lastIndexOf('/');
  const folder = cut < 0 ? '' : entry.path.slice(0, cut);
  const name = entry.path.slice(cut + 1);
  const under = (parent: string) => parent === '' || wanted.startsWith(`${parent}/`);
  if (name === OPAQUE_WHITEOUT) return under(folder);
  if (name.startsWith(WHITEOUT_PREFIX)) {
    const deleted =
      folder === '' ? name.slice(WHITEOUT_PREFIX.length) : `${folder}/${name.slice(WHITEOUT_PREFIX.length)}`;
    return wanted === deleted || wanted.startsWith(`${deleted}/`);
  }
  // A file (or link) where a folder above the path was replaces that folder and all it held.
  return entry.type !== 'directory' && wanted.startsWith(`${entry.path}/`);
}

function describeEntry(entry: LayerEntry): string {
  if (entry.type === 'directory') return 'a folder';
  if (entry.type === 'symlink') return `a symbolic link to "${printable(entry.linkname ?? '')}"`;
  return 'a special file (device, FIFO or the like)';
}
