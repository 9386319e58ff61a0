// The file system an artifact's layers make together, bottom to top, as extraction leaves it (what `stowage diff
// --files` compares): a layer's whiteouts delete from the layers below (`.wh.<name>` a path and what is under it,
// `.wh..wh..opq` a folder's content), a path listed again replaces the one below, a file where a folder was removes
// the folder's content, and a folder where a file was removes the file. A titled layer (not an ORAS folder) is a file
// at its title, its digest its content's. Each tar layer is read once through its digest check, hashing the files'
// contents on the way; a layer both sides share is read once for both (`SharedLayerReads`). Names are the layers',
// untrusted: callers escape them.
import type { ReadOnlyTarget } from '../content';
import { counted, type Descriptor, OciError } from '../oci';
import {
  DEFAULT_LAYER_CONTENTS_LIMITS,
  type LayerContentsLimits,
  type LayerEntry,
  layerForm,
  listLayer,
  normalisedEntryPath,
  OPAQUE_WHITEOUT,
  WHITEOUT_PREFIX,
} from './layerContents';

/** An entry of the merged file system and the layer (from 1, bottom) that put it there. */
export interface MergedEntry extends LayerEntry {
  layer: number;
}

export interface MergedFiles {
  entries: Map<string, MergedEntry>;
  /** Layers that are neither a tar nor a titled file (their content is no file), by place from 1. */
  unread: number[];
}

/** Entries one merged file system holds at most: each costs memory until the comparison ends. */
export const MAX_MERGED_ENTRIES = 250_000;

/**
 * Tar layers one merged file system reads at most, each whole: Docker refuses images of more than 127 (overlayfs
 * stacks no deeper), and a manifest of a few MiB can name thousands, each a full read (a link can ask for this).
 */
export const MAX_MERGED_TAR_LAYERS = 1_000;

/** Listings of layers read for a comparison, by digest: a layer both sides have, or one named again, is read once. */
export class SharedLayerReads {
  private readonly listings = new Map<string, Promise<LayerEntry[]>>();
  private readonly shared: Set<string>;

  constructor(
    shared: ReadonlySet<string>,
    private readonly limits: LayerContentsLimits = DEFAULT_LAYER_CONTENTS_LIMITS,
  ) {
    this.shared = new Set(shared);
  }

  /** Keeps these layers' listings too once read (a layer one manifest names more than once). */
  keep(digests: Iterable<string>): void {
    for (const digest of digests) this.shared.add(digest);
  }

  entries(target: Pick<ReadOnlyTarget, 'fetchBlob'>, layer: Descriptor, signal?: AbortSignal): Promise<LayerEntry[]> {
    const read = async () => (await listLayer(target, layer, { signal, limits: this.limits, hashFiles: true })).entries;
    // Only a layer the other side has too is kept: the others are read once anyway.
    if (!this.shared.has(layer.digest)) return read();
    let listing = this.listings.get(layer.digest);
    if (!listing) this.listings.set(layer.digest, (listing = read()));
    return listing;
  }
}

export async function mergedFiles(
  target: Pick<ReadOnlyTarget, 'fetchBlob'>,
  layers: readonly Descriptor[],
  listings: SharedLayerReads,
  signal?: AbortSignal,
): Promise<MergedFiles> {
  const tree = new FileTree();
  const unread: number[] = [];
  const tars = layers.filter((layer) => layerForm(layer).kind === 'tar');
  if (tars.length > MAX_MERGED_TAR_LAYERS)
    throw new OciError(
      'SIZE_EXCEEDED',
      `the artifact has ${tars.length} tar layers, more than the ${MAX_MERGED_TAR_LAYERS} read here (a runtime stacks at most 127): refusing to read them`,
    );
  // A layer named again further up is read once: a hostile manifest can name one layer thousands of times.
  const seen = new Set<string>();
  const again = new Set<string>();
  for (const { digest } of tars) (seen.has(digest) ? again : seen).add(digest);
  listings.keep(again);
  for (const [index, layer] of layers.entries()) {
    const form = layerForm(layer);
    if (form.kind === 'opaque') {
      unread.push(index + 1);
      continue;
    }
    const entries: LayerEntry[] =
      form.kind === 'file'
        ? [
            {
              path: normalisedEntryPath(form.path),
              type: 'file',
              size: layer.size,
              mode: 0o644,
              contentDigest: layer.digest,
            },
          ]
        : await listings.entries(target, layer, signal);
    // Whiteouts delete from the layers below only: all of them before this layer's own entries.
    for (const entry of entries) {
      const cut = entry.path.lastIndexOf('/');
      const folder = cut < 0 ? '' : entry.path.slice(0, cut);
      const name = entry.path.slice(cut + 1);
      if (name === OPAQUE_WHITEOUT) tree.deleteUnder(folder);
      else if (name.startsWith(WHITEOUT_PREFIX)) {
        const deleted = `${folder ? `${folder}/` : ''}${name.slice(WHITEOUT_PREFIX.length)}`;
        tree.deleteUnder(deleted);
        tree.delete(deleted);
      }
    }
    for (const entry of entries) {
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      if (entry.path === '' || name.startsWith(WHITEOUT_PREFIX)) continue;
      tree.put({ ...entry, layer: index + 1 });
    }
  }
  return { entries: tree.entries, unread };
}

/**
 * Paths and what each folder holds, so a whiteout deletes a folder's content without a walk over every path. Every
 * folder above an entry is in `children`, listed or not: nothing ever lies under a file, so the look for a file
 * above a new entry stops at the first folder known to hold something (a walk up every folder of every entry costs
 * the square of a path's depth: a 4 KiB path is 2,000 folders deep).
 */
class FileTree {
  readonly entries = new Map<string, MergedEntry>();
  private readonly children = new Map<string, Set<string>>();

  put(entry: MergedEntry): void {
    const earlier = this.entries.get(entry.path);
    // A file, link or special file where a folder was (listed or made for what lies under it) replaces the folder
    // and all it holds: extraction removes a folder that is in its way.
    if (entry.type !== 'directory') this.deleteUnder(entry.path);
    // A folder above a file that was there replaces the file: extraction makes the folder.
    for (let folder = parentOf(entry.path); folder !== '' && !this.children.has(folder); folder = parentOf(folder)) {
      const there = this.entries.get(folder);
      if (!there) continue;
      if (there.type !== 'directory') this.delete(folder);
      break;
    }
    if (!earlier && this.entries.size >= MAX_MERGED_ENTRIES)
      throw new OciError(
        'SIZE_EXCEEDED',
        `the layers make a file system of more than ${counted(MAX_MERGED_ENTRIES, 'entry', 'entries')}: too many to compare here`,
      );
    this.entries.set(entry.path, entry);
    for (let path = entry.path; path !== ''; path = parentOf(path)) {
      const known = this.children.get(parentOf(path));
      if (known) {
        known.add(path);
        break;
      }
      this.children.set(parentOf(path), new Set([path]));
    }
  }

  delete(path: string): void {
    if (!this.entries.delete(path)) return;
    this.children.get(parentOf(path))?.delete(path);
  }

  /** Deletes everything under `folder` ("" for the root), the folder itself kept. */
  deleteUnder(folder: string): void {
    const below = this.children.get(folder);
    if (!below) return;
    this.children.delete(folder);
    for (const path of below) {
      this.entries.delete(path);
      this.deleteUnder(path);
    }
  }
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut);
}
