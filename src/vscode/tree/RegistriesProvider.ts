// The Registries view: registries from settings → repositories (the pinned ones from settings first, then the
// catalog's pages or, on Docker Hub and GHCR, the named namespaces' repositories) → tags → artifacts. A filter
// per registry (repositories) and per repository (tags) narrows what is listed (RegistryFilters.ts). A registry's
// tooltip (filled in on hover) tells its capabilities and where its credentials come from.
import * as vscode from 'vscode';
import { AuthError, OciError, untrustedText, registryId, storeId, type StoreRef } from '../../core/oci';
import { toAbortSignal } from '../abort';
import type { CommandId } from '../commandIds';
import { adviseOn, stepCommand } from '../errorAdvice';
import type { Prompts } from '../prompts';
import type { SecretCredentials } from '../secrets';
import type { RegistrySetting, StowageSettings } from '../settingsModel';
import type { Stores } from '../stores';
import { describeCapabilities, describeCredentialSource } from './registryTooltip';
import { nameFilter, type NameFilter } from '../../core/registry';
import type { RegistryFilters } from './RegistryFilters';
import type { ActionNode, RegistryNode, RepositoryNode, TreeNode } from './nodes';
import { StoreTreeProvider } from './StoreTreeProvider';

/** Repositories remembered per registry for the pickers: a few pages' worth. */
const MAX_REMEMBERED = 1000;
/** How long a picker waits for a registry's first page of repositories. */
const PICKER_LISTING_MS = 3000;

export class RegistriesProvider extends StoreTreeProvider {
  protected readonly refreshCommand = 'stowage.registries.refresh' satisfies CommandId;
  private loggedIn = new Set<string>();
  /**
   * Hosts already told about a failure that needs the user (login, CA file…), until the registry lists again. Not
   * forgotten on a refresh, login or settings change: a user setting a registry up from its error row (Use HTTPS,
   * then Set CA File…, then Log In…) sees each next step on that row, and one toast per step piled up over
   * whatever their next command said.
   */
  private readonly notified = new Set<string>();
  /** Repositories listed per host since the window opened (see listedRepositories). */
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    stores: Stores,
    settings: () => StowageSettings,
    private readonly secrets: SecretCredentials,
    private readonly prompts: () => Prompts,
    readonly filters: RegistryFilters,
  ) {
    super(stores, settings);
    this.register(filters.onDidChange((scope) => this.filterChanged(scope?.host, scope?.repository)));
  }

  /** Redraws what a filter change narrows: the registry's repositories, or one repository's tags. */
  private filterChanged(host: string | undefined, repository: string | undefined): void {
    if (host === undefined) return this.refresh();
    const store = { kind: 'registry' as const, host, repository: repository ?? '' };
    const node = this.nodeById(repository === undefined ? registryId(host) : storeId(store));
    if (node) this.refresh(node);
  }

  protected async roots(): Promise<TreeNode[]> {
    const registries = this.settings().registries;
    const stored = await Promise.all(
      registries.map(async (r) => ((await this.secrets.has(r.host)) ? r.host : undefined)),
    );
    this.loggedIn = new Set(stored.filter((h): h is string => h !== undefined));
    return registries.map((setting): RegistryNode => ({ type: 'registry', id: registryId(setting.host), setting }));
  }

  protected override itemState(node: TreeNode): { loggedIn?: boolean } {
    return node.type === 'registry' ? { loggedIn: this.loggedIn.has(node.setting.host) } : {};
  }

  protected ownChildren(node: TreeNode, signal: AbortSignal): Promise<TreeNode[]> | undefined {
    if (node.type === 'registry')
      return this.repositoryNodes(node).then((nodes) => {
        this.notified.delete(node.setting.host); // it works: a later failure is news again
        return nodes;
      });
    if (node.type === 'repository') return this.filteredTagNodes(node, signal);
    return undefined;
  }

  private async filteredTagNodes(node: RepositoryNode, signal: AbortSignal): Promise<TreeNode[]> {
    const scope = { host: node.store.host, repository: node.store.repository };
    const pattern = this.filters.get(scope);
    // Tag lists come in no particular order (distribution's are unsorted): matches only, no skipping ahead.
    const filter = pattern ? { matches: nameFilter(pattern).matches } : undefined;
    const nodes = await this.tagNodes(node, node.store, { filter, signal });
    if (!pattern || nodes.some((n) => n.type === 'manifest')) return nodes;
    return [...nodes, this.noMatches(node, pattern, 'tags')];
  }

  /** In place of an empty filtered list: says so, and clears the filter when clicked. */
  private noMatches(owner: RegistryNode | RepositoryNode, pattern: string, what: string): ActionNode {
    return {
      type: 'action',
      id: `${owner.id}/no-matches`,
      label: `No ${what} match “${untrustedText(pattern)}” · Clear Filter`,
      command: 'stowage.registries.clearFilter' satisfies CommandId,
      ownerId: owner.id,
      host: owner.type === 'registry' ? owner.setting.host : owner.store.host,
      icon: 'clear-all',
    };
  }

  private async repositoryNodes(node: RegistryNode): Promise<TreeNode[]> {
    const host = node.setting.host;
    const addRepository: ActionNode = {
      type: 'action',
      id: `${node.id}/add-repository`,
      label: 'Add Repository…',
      command: 'stowage.repository.add' satisfies CommandId,
      ownerId: node.id,
      host,
    };
    const pattern = this.filters.get({ host });
    const filter = pattern ? nameFilter(pattern) : undefined;
    const pinned = (node.setting.repositories ?? []).filter((r) => !filter || filter.matches(r));
    const listed = await this.listedRepositoryNames(node, filter, pinned.length > 0);
    // Pinned first; the registry's own listing after them, without the ones already shown.
    const shown = new Set(pinned);
    const repositories = [...pinned, ...listed.items.filter((r) => !shown.has(r))];
    this.remember(host, repositories);
    const empty = repositories.length
      ? []
      : pattern
        ? [this.noMatches(node, pattern, 'repositories')]
        : listed.listedNone
          ? // A new or emptied registry (or a login that sees none) says so, not only "Add Repository…".
            [this.emptyListRow(node, 'repositories', host)]
          : [];
    return [
      ...repositories.map((repository) => this.repositoryNode(node, repository, shown.has(repository))),
      ...listed.more,
      ...empty,
      ...listed.hint,
      addRepository,
    ];
  }

  /**
   * The registry's own listing: the catalog, or the named namespaces on Docker Hub and GHCR. Where the registry
   * has none (no catalog, namespaces not named) it offers "Set Namespaces…" on the hosts that have them. With
   * pinned repositories a listing the registry refuses (no catalog, no permission for it) stays quiet: the
   * pinned ones are what the user asked for.
   */
  private async listedRepositoryNames(
    node: RegistryNode,
    filter: NameFilter | undefined,
    quietFailures: boolean,
  ): Promise<{ items: string[]; more: TreeNode[]; hint: TreeNode[]; listedNone?: boolean }> {
    const lister = this.stores.repositoryLister(node.setting);
    if (!lister) {
      const setNamespaces: ActionNode = {
        type: 'action',
        id: `${node.id}/set-namespaces`,
        label: 'Set Namespaces…',
        command: 'stowage.registry.setNamespaces' satisfies CommandId,
        ownerId: node.id,
        host: node.setting.host,
        icon: 'list-tree',
      };
      return { items: [], more: [], hint: [setNamespaces] };
    }
    // The catalog is sorted: a prefix glob starts at the prefix and stops after it. Namespace APIs are not.
    const listFilter = filter && (lister.kind === 'catalog' ? filter : { matches: filter.matches });
    try {
      const startAfter = lister.kind === 'catalog' ? filter?.startAfter : undefined;
      const pageSize = this.settings().pageSize;
      const { items, more } = await this.pagedItems(
        node,
        (signal) => lister.list({ pageSize, signal, startAfter })[Symbol.asyncIterator](),
        listFilter,
      );
      return { items, more, hint: [], listedNone: !items.length && !more.length };
    } catch (error) {
      // No catalog (GHCR, Docker Hub…): the user names the repositories instead.
      const noCatalog = OciError.is(error, 'NOT_FOUND') || OciError.is(error, 'UNSUPPORTED');
      const refused = error instanceof AuthError && lister.kind === 'catalog';
      if (noCatalog || (quietFailures && refused)) return { items: [], more: [], hint: [] };
      throw error;
    }
  }

  private repositoryNode(parent: RegistryNode, repository: string, pinned: boolean): RepositoryNode {
    const store = { kind: 'registry' as const, host: parent.setting.host, repository };
    return { type: 'repository', id: storeId(store), store, ...(pinned ? { pinned } : {}) };
  }

  async resolveTreeItem(
    item: vscode.TreeItem,
    node: TreeNode,
    token: vscode.CancellationToken,
  ): Promise<vscode.TreeItem> {
    if (node.type !== 'registry') return item;
    const host = node.setting.host;
    const signal = toAbortSignal(token);
    const lines = [node.setting.name ? `${node.setting.name} (${host})` : host];
    if (node.setting.plainHttp)
      lines.push(
        node.setting.allowCredentialsOverHttp
          ? 'plain HTTP, credentials allowed over it (allowCredentialsOverHttp)'
          : 'plain HTTP',
      );
    if (node.setting.skipTlsVerify) lines.push('TLS certificate NOT verified (skipTlsVerify is on for this registry)');
    if (node.setting.caFile) lines.push(`CA file: ${node.setting.caFile}`);
    if (node.setting.certFile) lines.push(`Client certificate: ${node.setting.certFile}`);
    try {
      lines.push(`Credentials: ${describeCredentialSource(await this.stores.credentialSource(host, signal))}`);
      // VS Code asks for the hover once per row: with no repository listed yet, the first page is listed here.
      const repository = node.setting.repositories?.[0] ?? (await this.repositoriesFor(node.setting))[0];
      if (repository) lines.push(...describeCapabilities(await this.stores.capabilities(host, repository, signal)));
      else lines.push('Capabilities: known once a repository is listed');
    } catch (error) {
      lines.push(`Not reachable: ${adviseOn(error).message}`);
    }
    item.tooltip = untrustedText(lines.join('\n'), { multiline: true });
    return item;
  }

  /**
   * Repositories of `host` the view has shown (from the catalog or the settings) since the window opened, for
   * the pickers: a refresh (a settings change) forgets the tree's nodes, and a hidden view lists nothing again.
   */
  listedRepositories(host: string): string[] {
    const repositories = new Set(this.seen.get(host));
    for (const found of this.knownNodes())
      if (found.type === 'repository' && found.store.host === host) repositories.add(found.store.repository);
    return [...repositories];
  }

  /**
   * For the pickers: the repositories listed so far, or, when the view has listed none for this registry yet (a
   * palette command before the registry was ever expanded), its listing's first page, within a few seconds and
   * quietly: a registry without a catalog, or refusing it, offers only its pinned repositories.
   */
  async repositoriesFor(setting: RegistrySetting): Promise<string[]> {
    const known = this.listedRepositories(setting.host);
    if (known.length) return known;
    const lister = this.stores.repositoryLister(setting);
    if (!lister) return [];
    try {
      const signal = AbortSignal.timeout(PICKER_LISTING_MS);
      for await (const page of lister.list({ pageSize: this.settings().pageSize, signal })) {
        this.remember(setting.host, page);
        break;
      }
    } catch {
      // Offered what the settings pin; the view shows why the listing failed when it is expanded.
    }
    return this.listedRepositories(setting.host);
  }

  private remember(host: string, repositories: readonly string[]): void {
    const seen = this.seen.get(host) ?? new Set<string>();
    for (const repository of repositories) {
      seen.delete(repository); // most recently listed last, the oldest forgotten first
      seen.add(repository);
    }
    for (const oldest of seen) {
      if (seen.size <= MAX_REMEMBERED) break;
      seen.delete(oldest);
    }
    this.seen.set(host, seen);
  }

  /**
   * After a login or logout (here or in another window): fresh credentials, and the registry redrawn with its menu
   * (Log Out is offered while a login is stored; only listing the roots read that, and a redraw lists no roots).
   */
  credentialsChanged(host: string): void {
    this.stores.reset(host);
    this.refreshRegistry(host);
    void this.secrets.has(host).then((stored) => {
      if (stored === this.loggedIn.has(host)) return;
      if (stored) this.loggedIn.add(host);
      else this.loggedIn.delete(host);
      const node = this.nodeById(registryId(host));
      if (node) this.fire(node);
    });
  }

  refreshRegistry(host: string): void {
    const node = this.nodeById(registryId(host));
    if (node) this.refresh(node);
    else this.refresh();
  }

  protected refreshParentOf(store: StoreRef): void {
    if (store.kind === 'registry') this.refreshRegistry(store.host);
  }

  /** Auth and TLS failures need the user: one notification per host, with the same action as the error node. */
  protected override onFailure(owner: TreeNode, error: unknown): void {
    const advice = adviseOn(error);
    const host =
      owner.type === 'registry'
        ? owner.setting.host
        : 'store' in owner && owner.store.kind === 'registry'
          ? owner.store.host
          : undefined;
    if (!host || advice.step === 'retry' || this.notified.has(host)) return;
    this.notified.add(host);
    const command = stepCommand(advice.step)!;
    void this.prompts()
      .notify('error', advice.message.includes(host) ? advice.message : `${host}: ${advice.message}`, advice.stepLabel)
      .then((choice) => {
        if (choice === advice.stepLabel) void vscode.commands.executeCommand(command, this.nodeById(registryId(host)));
      });
  }
}
