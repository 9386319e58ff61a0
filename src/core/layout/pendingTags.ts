// Tags set in a layout but not yet written to its index.json (indexBatch.ts says when they are), and index.json as
// this process sees it meanwhile: the file's entries with those tags placed over them. Placing a tag is kept cheap
// (a slot by tag name, filled in place or added at the end), because a copy places one for every manifest it tags
// and reads the index many times a tag; the whole view is built again only when the file under it changed.
import { Annotation, type Descriptor, type ImageIndex } from '../oci';
import { tagOfEntry } from './indexFile';

/** A tag named by more than one entry of the index. */
const SEVERAL = -1;

export interface PendingTag {
  /** The index.json entry, with its ref.name. */
  entry: Descriptor;
  /** The manifest's bytes: written again at the flush should another writer have released the blob since. */
  bytes: Buffer | undefined;
  /** Set while this process held the referrers lock: the lock is kept until the tag is written (indexBatch.ts). */
  guarded: boolean;
}

export class PendingTags {
  private readonly pending = new Map<string, PendingTag>();
  private base: ImageIndex | undefined;
  private manifests: Descriptor[] = [];
  /**
   * Where each tag's entry sits in `manifests`, or SEVERAL when more than one entry names it (rare). A number a tag,
   * not an array: 20,000 one-element arrays were about 1.5 MB of a 10,000-tag backup's heap.
   */
  private slots = new Map<string, number>();
  /** Digests of untagged entries (a tag set on one replaces it, as LayoutTarget.setTag does). */
  private untagged = new Set<string>();

  get size(): number {
    return this.pending.size;
  }

  /** The manifest bytes held for the flush. */
  get heldBytes(): number {
    let bytes = 0;
    for (const p of this.pending.values()) bytes += p.bytes?.length ?? 0;
    return bytes;
  }

  hasGuarded(): boolean {
    for (const p of this.pending.values()) if (p.guarded) return true;
    return false;
  }

  /** Sets `tag` to `entry` (its ref.name set already): a tag set twice keeps the last. */
  set(tag: string, entry: Descriptor, bytes: Buffer | undefined, guarded: boolean): void {
    const before = this.pending.get(tag);
    this.pending.delete(tag);
    this.pending.set(tag, { entry, bytes, guarded: guarded || !!before?.guarded });
    if (this.base) this.place(tag, entry);
  }

  /** What is pending now, to write: `settle` afterwards with the same map. */
  snapshot(): Map<string, PendingTag> {
    return new Map(this.pending);
  }

  /** The tags of `written` are in the file now: those not set again since are no longer pending. */
  settle(written: ReadonlyMap<string, PendingTag>): void {
    for (const [tag, p] of written) if (this.pending.get(tag) === p) this.pending.delete(tag);
    this.base = undefined;
  }

  /** `index` (the file's, frozen) with the pending tags placed over it; the caller copies the array it hands out. */
  over(index: ImageIndex): ImageIndex {
    if (!this.pending.size) return index;
    if (index !== this.base) this.rebuild(index);
    return { ...index, manifests: this.manifests };
  }

  private rebuild(index: ImageIndex): void {
    this.base = index;
    this.manifests = [...index.manifests];
    this.reindex();
    for (const [tag, p] of this.pending) this.place(tag, p.entry);
  }

  private reindex(): void {
    this.slots = new Map();
    this.untagged = new Set();
    this.manifests.forEach((m, i) => {
      const tag = tagOfEntry(m);
      if (tag === undefined) this.untagged.add(m.digest);
      else this.slots.set(tag, this.slots.has(tag) ? SEVERAL : i);
    });
  }

  /** As LayoutTarget.setTag places a tag: every entry of that tag, and an untagged one of that digest, give way. */
  private place(tag: string, entry: Descriptor): void {
    const at = this.slots.get(tag);
    if (!this.untagged.has(entry.digest) && at !== SEVERAL) {
      if (at !== undefined) this.manifests[at] = entry;
      else {
        this.slots.set(tag, this.manifests.length);
        this.manifests.push(entry);
      }
      return;
    }
    // Rare (a tag named by several entries, or an untagged entry of the digest): one pass over the whole index.
    this.manifests = this.manifests.filter(
      (m) => tagOfEntry(m) !== tag && !(m.digest === entry.digest && m.annotations?.[Annotation.refName] === undefined),
    );
    this.manifests.push(entry);
    this.reindex();
  }
}
