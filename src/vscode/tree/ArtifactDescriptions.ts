// Names for the tree's artifacts, fetched behind the tree: a node is drawn at once from what its parent listed
// (a tag, a referrer's descriptor) and redrawn when its description arrives. A manifest's description never
// changes (digests are content), so it is kept for the session; a tag's, or a failure, until its store is refreshed.
import { describeArtifact, type ArtifactDescription } from '../../core/supplyChain';
import { createLimiter, type ReadOnlyTarget } from '../../core/content';
import { DOCKER_HUB, OciError, storeId, type StoreRef } from '../../core/oci';
import type { ManifestNode } from './nodes';

/** Enough for a few pages of tags and referrers; older entries are dropped first. */
const MAX_ENTRIES = 2000;
/** Manifests fetched at once to name tags: a page of 100 tags is named in a few seconds without a burst. */
const CONCURRENCY = 4;
/** Other tags on a digest a row is given: its tooltip names up to 20 (treeItems.ts), the rest are counted. */
const OTHER_TAGS_NAMED = 20;
/** Rows of tags on one digest are drawn again at most this often while more of its tags are named. */
const REDRAW_DELAY_MS = 100;

/** The other tags on a tag's manifest: the first few by name, sorted, and how many there are. */
export interface OtherTags {
  names: readonly string[];
  count: number;
}

/** The described tag rows naming one digest, and their names sorted (sorted again only after a change). */
interface TagsOnDigest {
  rows: Map<string, ManifestNode>;
  sorted?: string[];
}

type Entry = ArtifactDescription | 'loading' | 'failed';

export class ArtifactDescriptions {
  private readonly entries = new Map<string, Entry>();
  /** Index rows by the keys of their platform manifests: drawn again when one of those is described. */
  private readonly indexesOf = new Map<string, ManifestNode[]>();
  /** Described tag rows by `store@digest`: a tag's row names the other tags on its digest from what was read anyway. */
  private readonly tagsOn = new Map<string, TagsOnDigest>();
  /** Digests whose rows wait to be drawn again (REDRAW_DELAY_MS). */
  private readonly redrawDue = new Set<string>();
  private redrawTimer: NodeJS.Timeout | undefined;
  private readonly limit = createLimiter(CONCURRENCY);
  private readonly aborts = new AbortController();

  constructor(
    /** The store to read from: the tree's shared manifest reads, so a tag's manifest is fetched once. */
    private readonly targetOf: (store: StoreRef) => Promise<ReadOnlyTarget>,
    /** Whether tags get named (each costs a manifest GET) — the `stowage.describeTags` setting. */
    private readonly describeTags: () => boolean,
    private readonly described: (node: ManifestNode) => void,
  ) {}

  /** The node's description if known; otherwise starts fetching it (once) and returns undefined. */
  of(node: ManifestNode): ArtifactDescription | undefined {
    const key = keyOf(node);
    if (!key || !this.wanted(node)) return undefined;
    const entry = this.entries.get(key);
    if (typeof entry === 'object') return entry;
    if (entry === undefined) this.fetch(key, node);
    return undefined;
  }

  /**
   * The content bytes of an index's platform manifests summed, once every one of them has been described (its rows
   * expanded, or the same manifests described elsewhere in the store): no request of its own.
   */
  indexContentBytes(node: ManifestNode, description: ArtifactDescription): number | undefined {
    const digests = description.platformManifests;
    if (!digests) return undefined;
    let total = 0;
    for (const digest of digests) {
      const key = `${storeId(node.store)}@${digest}`;
      const entry = this.entries.get(key);
      if (typeof entry !== 'object' || entry.contentBytes === undefined) {
        this.redrawWhenDescribed(key, node);
        return undefined;
      }
      total += entry.contentBytes;
    }
    return total;
  }

  /**
   * The other tags of the node's store described so far as naming the same manifest ("also 1.0"), sorted: known
   * from the manifests read to name them, no request of its own.
   */
  otherTags(node: ManifestNode, description: ArtifactDescription): OtherTags {
    const same = node.tag !== undefined && this.tagsOn.get(`${storeId(node.store)}@${description.descriptor.digest}`);
    if (!same) return { names: [], count: 0 };
    // Sorted once per change, not per row: every row of a digest is drawn again when one of its tags is named.
    same.sorted ??= [...same.rows.keys()].sort();
    const names = same.sorted.slice(0, OTHER_TAGS_NAMED + 1).filter((tag) => tag !== node.tag);
    const count = same.rows.size - (same.rows.has(node.tag!) ? 1 : 0);
    return { names: names.slice(0, OTHER_TAGS_NAMED), count };
  }

  /**
   * Forgets what a refresh of the stores `inScope` names makes stale: tag descriptions (a tag may have moved) and
   * failures (the registry may be back). A manifest's description stays true.
   */
  forgetStale(inScope: (storeId: string) => boolean): void {
    for (const [key, entry] of [...this.entries]) {
      // Tags and digests hold no "@" and a tag no colon: the last separator ends the store's id (a path may hold one).
      const tagAt = key.lastIndexOf(':tag:');
      const store = tagAt >= 0 ? key.slice(0, tagAt) : key.slice(0, key.lastIndexOf('@'));
      if ((tagAt >= 0 || entry === 'failed') && inScope(store)) this.entries.delete(key);
    }
    for (const key of [...this.tagsOn.keys()]) if (inScope(key.slice(0, key.lastIndexOf('@')))) this.tagsOn.delete(key);
  }

  dispose(): void {
    this.aborts.abort();
    clearTimeout(this.redrawTimer);
  }

  private wanted(node: ManifestNode): boolean {
    if (node.tag === undefined) return true;
    // Docker Hub counts every manifest GET as a pull against the user's rate limit.
    return this.describeTags() && !(node.store.kind === 'registry' && node.store.host === DOCKER_HUB);
  }

  private fetch(key: string, node: ManifestNode): void {
    this.set(key, 'loading');
    void this.limit(async () => {
      try {
        const target = await this.targetOf(node.store);
        const ref = node.tag ?? node.descriptor!;
        const description = await describeArtifact(target, ref, { signal: this.aborts.signal });
        if (this.entries.get(key) !== 'loading') return; // forgotten meanwhile (refresh): the node asks again
        this.set(key, description);
        this.described(node);
        if (node.tag !== undefined) this.noteTag(node, description.descriptor.digest);
        const indexes = this.indexesOf.get(key);
        this.indexesOf.delete(key);
        for (const index of indexes ?? []) this.described(index);
      } catch (error) {
        if (this.entries.get(key) !== 'loading') return;
        // Cut short (its store refreshed meanwhile): asked again when the node is drawn again, not given up on.
        if (OciError.is(error, 'ABORTED')) this.entries.delete(key);
        // Naming is a nicety: the node keeps its plain label, and expanding it shows the real error.
        else this.set(key, 'failed');
      }
    });
  }

  /**
   * Keeps the tag under its digest and redraws the rows of the other tags there, which now name it: once for all the
   * tags named within REDRAW_DELAY_MS. Each at once drew every row of the digest for each tag named, n² rows for n
   * tags on one manifest (2,000 took minutes of the extension host).
   */
  private noteTag(node: ManifestNode, digest: string): void {
    const key = `${storeId(node.store)}@${digest}`;
    const same = this.tagsOn.get(key) ?? { rows: new Map<string, ManifestNode>() };
    same.rows.set(node.tag!, node);
    same.sorted = undefined;
    this.tagsOn.set(key, same);
    if (same.rows.size > 1) this.redrawSoon(key);
    // Bounded as the entries are: the oldest digests are dropped first.
    if (this.tagsOn.size > MAX_ENTRIES) this.tagsOn.delete(this.tagsOn.keys().next().value!);
  }

  private redrawSoon(key: string): void {
    this.redrawDue.add(key);
    this.redrawTimer ??= setTimeout(() => {
      this.redrawTimer = undefined;
      const due = [...this.redrawDue];
      this.redrawDue.clear();
      for (const digest of due) for (const row of this.tagsOn.get(digest)?.rows.values() ?? []) this.described(row);
    }, REDRAW_DELAY_MS);
  }

  private redrawWhenDescribed(key: string, index: ManifestNode): void {
    const waiting = this.indexesOf.get(key) ?? [];
    if (!waiting.includes(index)) waiting.push(index);
    this.indexesOf.set(key, waiting);
    // Bounded as the entries are: the oldest waits are dropped first.
    if (this.indexesOf.size > MAX_ENTRIES) this.indexesOf.delete(this.indexesOf.keys().next().value!);
  }

  private set(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }
}

function keyOf(node: ManifestNode): string | undefined {
  if (node.tag !== undefined) return `${storeId(node.store)}:tag:${node.tag}`;
  return node.descriptor && `${storeId(node.store)}@${node.descriptor.digest}`;
}
