// What the Registries and Image Layouts views share: tags under a store, a manifest's children (platform
// manifests, config, layers, referrers grouped by kind), paging, and failures as error nodes. Subclasses give
// the roots. The provider owns its change emitter and refreshes only the node that changed.
import * as vscode from 'vscode';
import {
  isIndex,
  type Descriptor,
  AbortedError,
  descriptorProblem,
  OciError,
  storeId,
  type StoreRef,
  counted,
} from '../../core/oci';
import {
  artifactFamilyOf,
  createdTimeOf,
  MAX_REFERRERS_READ,
  describeNotAReferrer,
  isReferrerTag,
  judgedReferrers,
  type JudgedReferrers,
  type Referrer,
} from '../../core/graph';
import {
  createLimiter,
  SharedManifestReads,
  type FetchedManifest,
  type ReadOnlyTarget,
  type Target,
} from '../../core/content';
import { isUnknownRepository } from '../../core/registry';
import { adviseOn } from '../errorAdvice';
import { Disposable } from '../lifecycle';
import type { StowageSettings } from '../settingsModel';
import type { Stores } from '../stores';
import { REFERRER_KIND_ORDER, sortTags } from './labels';
import { NodeWalks } from './nodeWalks';
import { PagedList, type ListFilter } from './PagedList';
import { DATING_CONCURRENCY, MAX_DATED_TAGS, sortByRecent } from './tagOrder';
import type {
  ActionNode,
  BlobNode,
  ErrorNode,
  LayerEntryNode,
  LoadMoreNode,
  ManifestNode,
  ReferrerGroupNode,
  ReferrerKind,
  TreeNode,
} from './nodes';
import type { CommandId } from '../commandIds';
import { toTreeItem, type VerificationBadge } from './treeItems';
import { ArtifactDescriptions } from './ArtifactDescriptions';
import { isBrowsableLayer, withConventionalTitles } from '../../core/files';
import { LayerListings } from './LayerListings';

/** Where verification results come from (the supply-chain commands' cache). */
export interface VerificationResults {
  get(store: StoreRef, digest: string): VerificationBadge | undefined;
  readonly onDidChange: vscode.Event<StoreRef>;
}

/**
 * Stores whose manifest reads the tree keeps at once. Each keeps up to MAX_SHARED_MANIFEST_BYTES until it is
 * refreshed: a window open all day, browsing repository after repository, kept them all.
 */
const MAX_STORES_WITH_KEPT_READS = 8;

export abstract class StoreTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  /** Every node handed out, by id, and its parent: for getParent, refresh by id and Load more. */
  private readonly known = new Map<string, { node: TreeNode; parent: TreeNode | undefined }>();
  private readonly lists = new Map<string, PagedList>();
  /** Creation times of tags looked up for the "recent" order, per list owner; dropped with the list. */
  private readonly createdTimes = new Map<string, Map<string, number | undefined>>();
  /**
   * Manifest reads shared per store by the "recent" order's creation times and the descriptions, so each tag's
   * manifest is fetched once; forgotten when the store's list is refreshed (as the tag descriptions are), and kept
   * for the MAX_STORES_WITH_KEPT_READS stores used last only. Ordered from least to most recently used.
   */
  private readonly manifestReads = new Map<string, SharedManifestReads>();
  /** Tar layers' listings, kept for the few layers looked into last. */
  private readonly layerListings = new LayerListings((store) => this.stores.target(store));
  /** Loads running under nodes, aborted when their node is refreshed or collapsed (see nodeWalks.ts). */
  private readonly walks = new NodeWalks();

  private verification?: VerificationResults;
  /** What each artifact is, fetched behind the tree; a node is redrawn when its name arrives. */
  private readonly descriptions: ArtifactDescriptions;

  constructor(
    protected readonly stores: Stores,
    protected readonly settings: () => StowageSettings,
  ) {
    super();
    this.descriptions = new ArtifactDescriptions(
      (store) => this.sharedTarget(store),
      () => settings().describeTags,
      (node) => {
        if (this.known.get(node.id)?.node === node) this.changed.fire(node);
      },
    );
  }

  protected abstract roots(): Promise<TreeNode[]>;
  /** Children of the nodes only this view has (registries, repositories…); undefined for shared kinds. */
  protected abstract ownChildren(node: TreeNode, signal: AbortSignal): Promise<TreeNode[]> | undefined;

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.type === 'blob')
      return toTreeItem(node, {
        ...this.itemState(node),
        unpackedBytes: this.layerListings.unpackedBytes(node.descriptor),
      });
    if (node.type !== 'manifest') return toTreeItem(node, this.itemState(node));
    const description = this.descriptions.of(node);
    // A tag's description resolved it: its digest shows in the tooltip and is what a drag carries.
    if (description && node.tag !== undefined) node.descriptor ??= description.descriptor;
    const verification = node.descriptor && this.verification?.get(node.store, node.descriptor.digest);
    const indexContentBytes = description && this.descriptions.indexContentBytes(node, description);
    const otherTags = description && this.descriptions.otherTags(node, description);
    return toTreeItem(node, { ...this.itemState(node), verification, description, indexContentBytes, otherTags });
  }

  /** Shows signature verification results as badges, redrawing a store's manifests when its results change. */
  showVerification(results: VerificationResults): void {
    this.verification = results;
    this.register(
      results.onDidChange((store) => {
        for (const node of this.knownNodes())
          if (node.type === 'manifest' && storeId(node.store) === storeId(store)) this.changed.fire(node);
      }),
    );
  }

  protected itemState(_node: TreeNode): { loggedIn?: boolean } {
    return {};
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    let children: TreeNode[];
    const signal = node && this.walks.start(node.id);
    try {
      children = node
        ? await (this.ownChildren(node, signal!) ?? this.sharedChildren(node, signal!))
        : await this.roots();
    } catch (error) {
      if (!node) throw error;
      // Cancelled because the node was refreshed or collapsed: whatever asks next loads it afresh.
      if (signal?.aborted) return [];
      children = [this.errorNode(node, error)];
    } finally {
      if (node) this.walks.finish(node.id, signal!);
    }
    for (const child of children) this.known.set(child.id, { node: child, parent: node });
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.known.get(node.id)?.parent;
  }

  protected *knownNodes(): Iterable<TreeNode> {
    for (const { node } of this.known.values()) yield node;
  }

  nodeById(id: string): TreeNode | undefined {
    return this.known.get(id)?.node;
  }

  /** Forgets what was loaded under `node` (or everything) and redraws only that part; a row's action, its owner. */
  refresh(clicked?: TreeNode): void {
    const node = clicked?.type === 'action' ? this.nodeById(clicked.ownerId) : clicked;
    const prefix = node?.id;
    this.walks.abortUnder(prefix);
    const stale = staleStores(node);
    this.descriptions.forgetStale(stale);
    this.forgetManifestReads(stale);
    this.layerListings.forget(stale);
    for (const [id, list] of this.lists) {
      if (prefix === undefined || id === prefix || id.startsWith(`${prefix}/`)) {
        list.close();
        this.lists.delete(id);
      }
    }
    for (const id of [...this.createdTimes.keys()])
      if (prefix === undefined || id === prefix || id.startsWith(`${prefix}/`)) this.createdTimes.delete(id);
    this.forgetUnder(prefix);
    this.changed.fire(node && this.known.has(node.id) ? this.known.get(node.id)!.node : undefined);
  }

  /** The store with its manifest reads shared among the tree's lookups (see manifestReads). */
  private async sharedTarget(store: StoreRef): Promise<ReadOnlyTarget> {
    const id = storeId(store);
    let shared = this.manifestReads.get(id);
    if (!shared) {
      shared = new SharedManifestReads(await this.stores.target(store));
      // Another lookup may have made one while the store opened: keep the first.
      shared = this.manifestReads.get(id) ?? shared;
    }
    // Most recently used last; beyond the bound the oldest is let go (not stopped: its reads in flight still
    // answer whoever waits on them), and its store reads afresh when browsed again.
    this.manifestReads.delete(id);
    this.manifestReads.set(id, shared);
    if (this.manifestReads.size > MAX_STORES_WITH_KEPT_READS)
      this.manifestReads.delete(this.manifestReads.keys().next().value!);
    return shared.target;
  }

  private forgetManifestReads(inScope: (storeId: string) => boolean = () => true): void {
    for (const [id, shared] of [...this.manifestReads])
      if (inScope(id)) {
        shared.forget();
        this.manifestReads.delete(id);
      }
  }

  /**
   * The user collapsed `node`: loads under it stop (a referrer walk, a page of tags), and the node loads afresh
   * when it is expanded again. Lists already loaded stay.
   */
  collapsed(node: TreeNode): void {
    const aborted = this.walks.runningUnder(node.id);
    this.walks.abortUnder(node.id);
    for (const [id, list] of this.lists) {
      if ((id === node.id || id.startsWith(`${node.id}/`)) && list.loading) {
        list.close();
        this.lists.delete(id);
      }
    }
    if (aborted) this.changed.fire(this.known.get(node.id)?.node ?? node);
  }

  /** How many loads run under the view's nodes (for the extension-host tests). */
  get runningWalks(): number {
    return this.walks.size;
  }

  /** Refreshes the node showing `store` if the view shows it; otherwise the nearest thing that would list it. */
  refreshStore(store: StoreRef): void {
    const shown = this.nodeById(storeId(store));
    if (shown) this.refresh(shown);
    else this.refreshParentOf(store);
  }

  protected abstract refreshParentOf(store: StoreRef): void;

  /** The view's Refresh command, which an empty store's "No tags" row runs for that store. */
  protected abstract readonly refreshCommand: CommandId;

  async loadMore(node: LoadMoreNode): Promise<void> {
    const owner = this.nodeById(node.ownerId);
    const list = this.lists.get(node.ownerId);
    if (!owner || !list) return;
    try {
      await list.grow();
    } catch (error) {
      this.lists.delete(node.ownerId);
      this.failedLists.set(node.ownerId, error);
    }
    this.changed.fire(owner);
  }

  /** The items of a paged list loaded so far (tags of a store, repositories of a registry). */
  loadedItems(ownerId: string): string[] {
    return [...(this.lists.get(ownerId)?.items ?? [])];
  }

  private readonly failedLists = new Map<string, unknown>();

  /** A paged list kept per owner node; the first page is fetched here, later ones by Load more. */
  protected async pagedItems(
    owner: TreeNode,
    open: (signal: AbortSignal) => AsyncIterator<string[]>,
    filter?: ListFilter,
  ): Promise<{ items: string[]; more: LoadMoreNode[] }> {
    const failed = this.failedLists.get(owner.id);
    if (failed !== undefined) {
      this.failedLists.delete(owner.id);
      throw failed;
    }
    let list = this.lists.get(owner.id);
    if (!list) {
      // The list outlives this expansion (Load more), so its requests end when the list is closed.
      const controller = new AbortController();
      list = new PagedList(
        open(controller.signal),
        this.settings().pageSize,
        () => controller.abort(new AbortedError()),
        filter,
      );
      try {
        await list.grow();
      } catch (error) {
        list.close();
        throw error;
      }
      this.lists.set(owner.id, list);
    }
    const more: LoadMoreNode[] = list.done ? [] : [{ type: 'loadMore', id: `${owner.id}/more`, ownerId: owner.id }];
    return { items: list.items, more };
  }

  /** Tags of a store in the order of the setting (newest version first by default), as manifest nodes. */
  protected async tagNodes(
    owner: TreeNode,
    store: StoreRef,
    options: { filter?: ListFilter; signal?: AbortSignal } = {},
  ): Promise<TreeNode[]> {
    const target = await this.stores.target(store);
    let listed: { items: string[]; more: LoadMoreNode[] };
    try {
      listed = await this.pagedItems(
        owner,
        (signal) => target.listTags({ pageSize: this.settings().pageSize, signal })[Symbol.asyncIterator](),
        options.filter,
      );
    } catch (error) {
      // A registry knows a repository from its first push on: one added before that is empty, not broken. Only when
      // the registry says so (NAME_UNKNOWN): a 404 that says "denied" stays the error it is.
      if (store.kind === 'registry' && isUnknownRepository(error)) return [this.emptyListRow(owner, 'pushes')];
      throw error;
    }
    const { items, more } = listed;
    // Referrer tags appear as referrers under the manifest they refer to.
    const visible = items.filter((tag) => !isReferrerTag(tag));
    const order = this.settings().tagOrder;
    const tags =
      order === 'recent'
        ? sortByRecent(
            visible,
            await this.tagTimes(owner, await this.sharedTarget(store), visible, options.signal),
            (t) => sortTags(t, 'semver'),
          )
        : sortTags(visible, order);
    // An empty repository (or one deleted since) says so, rather than expanding to nothing.
    if (!tags.length && !more.length && !options.filter) return [this.emptyListRow(owner, 'tags')];
    return [
      ...tags.map((tag): ManifestNode => ({ type: 'manifest', id: `${owner.id}/tag:${tag}`, store, tag })),
      ...more,
    ];
  }

  /**
   * A list that came back empty says so ("No tags · Refresh"), its row refreshing its owner; a repository the registry
   * does not know yet ('pushes') says nothing was pushed to it, rather than "not found" in red with a Retry.
   */
  protected emptyListRow(owner: TreeNode, what: 'tags' | 'repositories' | 'pushes', host?: string): ActionNode {
    return {
      type: 'action',
      id: `${owner.id}/no-${what}`,
      label:
        what === 'pushes'
          ? 'No tags: nothing pushed to this repository yet (or a typo in its name) · Refresh'
          : `No ${what} · Refresh`,
      command: this.refreshCommand,
      ownerId: owner.id,
      ...(host ? { host } : {}),
      icon: 'refresh',
    };
  }

  /**
   * Creation times of the loaded tags, looked up lazily (only for the "recent" order, only for tags the list has
   * loaded), DATING_CONCURRENCY at a time, at most MAX_DATED_TAGS per list, and kept until the list is refreshed.
   */
  private async tagTimes(
    owner: TreeNode,
    target: ReadOnlyTarget,
    tags: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<Map<string, number | undefined>> {
    let times = this.createdTimes.get(owner.id);
    if (!times) this.createdTimes.set(owner.id, (times = new Map()));
    const known = times;
    const missing = tags.filter((tag) => !known.has(tag)).slice(0, Math.max(0, MAX_DATED_TAGS - known.size));
    const limit = createLimiter(DATING_CONCURRENCY);
    await Promise.all(
      missing.map((tag) =>
        limit(async () => {
          if (signal?.aborted) return;
          try {
            known.set(tag, await createdTimeOf(target, tag, signal));
          } catch {
            // Unknown (sorted after the dated tags), unless the lookup was only cut short.
            if (!signal?.aborted) known.set(tag, undefined);
          }
        }),
      ),
    );
    if (signal?.aborted) throw signal.reason;
    return known;
  }

  private async sharedChildren(node: TreeNode, signal: AbortSignal): Promise<TreeNode[]> {
    switch (node.type) {
      case 'manifest':
        return this.manifestChildren(node, signal);
      case 'referrers':
        return node.referrers.map((referrer) => this.referrerNode(node, referrer));
      case 'blob':
        if (node.role !== 'layer' || !isBrowsableLayer(node.descriptor)) return [];
        return this.layerEntryNodes(node, node.descriptor, '', signal);
      case 'layerEntry':
        if (node.entry.type !== 'directory') return [];
        return this.layerEntryNodes(node, node.layer, node.entry.path, signal);
      default:
        return [];
    }
  }

  /** The entries of one folder of a tar layer, listed without pulling it. */
  private async layerEntryNodes(
    parent: BlobNode | LayerEntryNode,
    layer: Descriptor,
    folder: string,
    signal: AbortSignal,
  ): Promise<LayerEntryNode[]> {
    const sized = parent.type === 'blob' && this.layerListings.unpackedBytes(layer) !== undefined;
    const entries = await this.layerListings.folder(parent.store, layer, folder, signal);
    // The layer was read whole: its row can say what it unpacks to now.
    if (parent.type === 'blob' && !sized && this.known.get(parent.id)?.node === parent) this.changed.fire(parent);
    const folderNames = new Set(entries.filter((e) => e.type === 'directory').map((e) => e.path));
    return entries.map((entry) => {
      const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      // A file beside a folder of the same name (LayerListings.folder) needs an id of its own.
      const sharesName = entry.type !== 'directory' && folderNames.has(entry.path);
      return {
        type: 'layerEntry',
        id: `${parent.id}/${name}${sharesName ? '/' : ''}`, // no name holds a "/": no other row's id
        store: parent.store,
        layer,
        entry,
        ...(sharesName ? { sharesPathWithFolder: true } : {}),
      };
    });
  }

  private async manifestChildren(node: ManifestNode, signal: AbortSignal): Promise<TreeNode[]> {
    const target = await this.stores.target(node.store);
    // A tag is resolved afresh on every expansion: it may have moved since.
    const fetched = await target.fetchManifest(node.tag ?? node.descriptor!, { signal });
    node.descriptor = fetched.descriptor;
    const children = this.contentNodes(node, { ...fetched, manifest: await namedLayers(fetched, target, signal) });
    return [...children, ...(await this.referrerGroups(node, target, fetched.descriptor, signal))];
  }

  /**
   * The manifest's entries, config and layers as nodes. An entry that is no descriptor (a digest that is none, a
   * size that is no byte count: a manifest may say anything) gets no node of its own, which would show and copy
   * its text, but one error node counting them and naming the first.
   */
  private contentNodes(node: ManifestNode, fetched: FetchedManifest): TreeNode[] {
    const { manifest } = fetched;
    const invalid: string[] = [];
    const usable = (d: unknown, what: string): boolean => {
      const problem = descriptorProblem(d);
      if (problem) invalid.push(`${what} ${problem}`);
      return !problem;
    };
    const nodes: TreeNode[] = [];
    if (isIndex(manifest)) {
      // Counted from 1, as the tree's "layer N of M" and `stowage files --layer N` count.
      manifest.manifests.forEach((d, i) => {
        if (usable(d, `entry ${i + 1} of ${manifest.manifests.length}`))
          nodes.push({
            type: 'manifest',
            id: `${node.id}/m${i}:${d.digest}`,
            store: node.store,
            descriptor: d,
            platform: d.platform,
          });
      });
    } else {
      if (manifest.config && usable(manifest.config, 'the config'))
        nodes.push({
          type: 'blob',
          id: `${node.id}/config`,
          store: node.store,
          descriptor: manifest.config,
          role: 'config',
          index: 0,
        });
      (manifest.layers ?? []).forEach((d, i) => {
        if (usable(d, `layer ${i + 1} of ${manifest.layers!.length}`))
          nodes.push({
            type: 'blob',
            id: `${node.id}/layer${i}`,
            store: node.store,
            descriptor: d,
            role: 'layer',
            index: i,
            count: manifest.layers!.length,
          });
      });
    }
    if (invalid.length) {
      const count = invalid.length > 1 ? `${invalid.length} unusable entries; ` : '';
      const error = new OciError('INVALID_CONTENT', `manifest ${fetched.descriptor.digest}: ${count}${invalid[0]}`);
      nodes.push(this.errorNode(node, error, 'content'));
    }
    return nodes;
  }

  /** Referrer groups; a failure to list them becomes one error node beside the manifest's own children. */
  private async referrerGroups(
    node: ManifestNode,
    target: Target,
    subject: Descriptor,
    signal: AbortSignal,
  ): Promise<TreeNode[]> {
    let judged: JudgedReferrers;
    // A listing only claims its entries refer to the subject: those whose manifest says otherwise get no node, and
    // only as many as the referrer graph shows are read to find out (a forged listing of thousands would cost a read
    // each). The judge reads through the tree's shared reads: describing a referrer node then costs no second GET.
    try {
      judged = await judgedReferrers(target, subject, {
        judgeReads: await this.sharedTarget(node.store),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      return [this.errorNode(node, error, 'referrers')];
    }
    const byKind = new Map<ReferrerKind, Referrer[]>();
    for (const referrer of judged.referrers) {
      const kind = artifactFamilyOf(referrer.descriptor);
      byKind.set(kind, [...(byKind.get(kind) ?? []), referrer]);
    }
    const groups = REFERRER_KIND_ORDER.filter((kind) => byKind.has(kind)).map((kind): ReferrerGroupNode => ({
      type: 'referrers',
      id: `${node.id}/referrers:${kind}`,
      store: node.store,
      subject,
      kind,
      referrers: byKind.get(kind)!,
    }));
    return judged.notReferrers.length || judged.truncated ? [...groups, this.notReferrersNode(node, judged)] : groups;
  }

  /**
   * One row saying how many listed referrers were left out, why (tooltip), and offering the referrers doctor; or
   * that more were listed than were read.
   */
  private notReferrersNode(node: ManifestNode, judged: JudgedReferrers): ActionNode {
    const refused = judged.notReferrers;
    const what = refused.length ? `${counted(refused.length, 'listed referrer')} not shown: not a referrer` : '';
    const beyond = judged.truncated
      ? `not every listed referrer read (at most ${MAX_REFERRERS_READ} shown): the rest not shown`
      : '';
    return {
      type: 'action',
      id: `${node.id}/not-referrers`,
      label: `${[what, beyond].filter(Boolean).join('; ')} · Check Referrers…`,
      command: 'stowage.referrers.check' satisfies CommandId,
      ownerId: node.id,
      icon: 'warning',
      subjectNode: node,
      tooltip: refused.map((r) => describeNotAReferrer(r, 'show')).join('\n'),
    };
  }

  private referrerNode(group: ReferrerGroupNode, referrer: Referrer): ManifestNode {
    return {
      type: 'manifest',
      id: `${group.id}/${referrer.descriptor.digest}`,
      store: group.store,
      descriptor: referrer.descriptor,
      referrer,
      subject: group.subject.digest,
    };
  }

  protected errorNode(owner: TreeNode, error: unknown, what?: string): ErrorNode {
    const advice = adviseOn(error);
    this.onFailure(owner, error);
    return {
      type: 'error',
      id: `${owner.id}/error${what ? `:${what}` : ''}`,
      ownerId: owner.id,
      message: what ? `${what}: ${advice.message}` : advice.message,
      step: advice.step,
      stepLabel: advice.stepLabel,
      host:
        owner.type === 'registry'
          ? owner.setting.host
          : 'store' in owner && owner.store.kind === 'registry'
            ? owner.store.host
            : undefined,
    };
  }

  /** Hook for views that tell the user about some failures once (a login notification). */
  protected onFailure(_owner: TreeNode, _error: unknown): void {}

  private forgetUnder(prefix: string | undefined): void {
    if (prefix === undefined) {
      this.known.clear();
      return;
    }
    for (const id of [...this.known.keys()]) if (id.startsWith(`${prefix}/`)) this.known.delete(id);
  }

  protected fire(node: TreeNode | undefined): void {
    this.changed.fire(node);
  }

  override dispose(): void {
    this.descriptions.dispose();
    this.forgetManifestReads();
    this.walks.abortUnder();
    for (const list of this.lists.values()) list.close();
    this.lists.clear();
    super.dispose();
  }
}

/**
 * The manifest with a Helm chart's layers named as a pull writes them (`webapp-0.1.0.tgz`), read from its config;
 * a config that cannot be read leaves the layers named by digest rather than failing the expansion.
 */
async function namedLayers(fetched: FetchedManifest, target: ReadOnlyTarget, signal: AbortSignal) {
  try {
    return await withConventionalTitles(fetched.manifest, target, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return fetched.manifest;
  }
}

/**
 * The stores whose tags and kept manifest reads a refresh of `node` makes stale: its own store, a registry's
 * repositories, or (the whole view) every store. Refreshing one registry (Retry, a login) stopped the reads
 * under every other registry and named their tags afresh.
 */
function staleStores(node: TreeNode | undefined): (storeId: string) => boolean {
  if (node && 'store' in node) {
    const id = storeId(node.store);
    return (other) => other === id;
  }
  if (node?.type === 'registry') return (other) => other.startsWith(`${node.id}/`);
  return () => true;
}
