// The tree's listings of tar layers, by folder. A listing reads the whole layer once (core/files/layerContents.ts),
// so the few used last are kept: expanding a folder, then another, costs no second download. A layer is content
// addressed, so a kept listing is never stale; a refresh of its store forgets it all the same (the user asked for
// a fresh look).
import type { ReadOnlyTarget } from '../../core/content';
import { layerFolders, listLayer, type LayerEntry } from '../../core/files';
import { type Descriptor, storeId, type StoreRef } from '../../core/oci';

/** Listings kept at once (each up to 100,000 entries). */
const KEPT_LISTINGS = 4;
/** Unpacked sizes kept (a number each): every layer looked into in a long session. */
const KEPT_SIZES = 2000;

type Folders = Map<string, LayerEntry[]>;

export class LayerListings {
  /** Ordered from least to most recently used. */
  private readonly kept = new Map<string, Promise<Folders>>();
  /** Bytes each layer read whole unpacks to, by digest: content addressed, so true in any store and never stale. */
  private readonly unpacked = new Map<string, number>();

  constructor(private readonly targetOf: (store: StoreRef) => Promise<ReadOnlyTarget>) {}

  /**
   * The entries of the folder `path` ("" for the layer's root) of `layer` in `store`. A file (or link) whose path
   * also holds entries below it ("a" and "a/x", as `stowage files` lists them both) comes with a folder row of that
   * name after it: the listing keeps one entry a path, and the folder's content was out of reach.
   */
  async folder(store: StoreRef, layer: Descriptor, path: string, signal: AbortSignal): Promise<LayerEntry[]> {
    const folders = await this.folders(store, layer, signal);
    const entries = folders.get(path) ?? [];
    const folderRows = new Set(entries.filter((e) => e.type === 'directory').map((e) => e.path));
    const hidden = entries.filter((e) => e.type !== 'directory' && folders.has(e.path) && !folderRows.has(e.path));
    if (!hidden.length) return entries;
    // Folders first, as the listing sorts them.
    return [...hidden.map((e): LayerEntry => ({ path: e.path, type: 'directory', size: 0, mode: 0o755 })), ...entries];
  }

  /**
   * What the layer unpacks to, once a listing read it (never read for this: the row is drawn before, and reading
   * every layer to size it would download the image).
   */
  unpackedBytes(layer: Descriptor): number | undefined {
    return this.unpacked.get(layer.digest);
  }

  /** Forgets the listings of the stores `stale` names. */
  forget(stale: (storeId: string) => boolean): void {
    for (const key of [...this.kept.keys()]) if (stale(key.slice(0, key.lastIndexOf('@')))) this.kept.delete(key);
  }

  private async folders(store: StoreRef, layer: Descriptor, signal: AbortSignal): Promise<Folders> {
    const key = `${storeId(store)}@${layer.digest}`;
    let listing = this.kept.get(key);
    if (!listing) {
      listing = this.list(store, layer, signal);
      // A failed or stopped listing is not kept: the next expansion tries again.
      listing.catch(() => {
        if (this.kept.get(key) === listing) this.kept.delete(key);
      });
    }
    this.kept.delete(key);
    this.kept.set(key, listing);
    if (this.kept.size > KEPT_LISTINGS) this.kept.delete(this.kept.keys().next().value!);
    try {
      return await listing;
    } catch (error) {
      // Another expansion started this listing and was collapsed: this one still wants it.
      if (!signal.aborted && (error as { code?: string })?.code === 'ABORTED')
        return this.folders(store, layer, signal);
      throw error;
    }
  }

  private async list(store: StoreRef, layer: Descriptor, signal: AbortSignal): Promise<Folders> {
    const listing = await listLayer(await this.targetOf(store), layer, { signal });
    this.unpacked.set(layer.digest, listing.expandedBytes);
    if (this.unpacked.size > KEPT_SIZES) this.unpacked.delete(this.unpacked.keys().next().value!);
    return layerFolders(listing);
  }
}
