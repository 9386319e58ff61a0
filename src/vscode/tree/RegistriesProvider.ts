// The Registries view: registries from settings → repositories (catalog pages, or the configured list) → tags →
// artifacts. A registry's tooltip (filled in on hover) tells its capabilities and where its credentials come from.
import * as vscode from 'vscode';
import { OciError, untrustedText, registryId, storeId, type StoreRef } from '../../core/oci';
import { toAbortSignal } from '../abort';
import type { CommandId } from '../commandIds';
import { adviseOn, stepCommand } from '../errorAdvice';
import type { Prompts } from '../prompts';
import type { SecretCredentials } from '../secrets';
import type { StowageSettings } from '../settingsModel';
import type { Stores } from '../stores';
import { describeCapabilities, describeCredentialSource } from './registryTooltip';
import type { ActionNode, RegistryNode, RepositoryNode, TreeNode } from './nodes';
import { StoreTreeProvider } from './StoreTreeProvider';

export class RegistriesProvider extends StoreTreeProvider {
  private loggedIn = new Set<string>();
  /** Hosts already told about a failure that needs the user (login, CA file), until they refresh or log in. */
  private readonly notified = new Set<string>();

  constructor(
    stores: Stores,
    settings: () => StowageSettings,
    private readonly secrets: SecretCredentials,
    private readonly prompts: () => Prompts,
  ) {
    super(stores, settings);
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

  protected ownChildren(node: TreeNode, _signal: AbortSignal): Promise<TreeNode[]> | undefined {
    if (node.type === 'registry') return this.repositoryNodes(node);
    if (node.type === 'repository') return this.tagNodes(node, node.store);
    return undefined;
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
    const configured = node.setting.repositories ?? [];
    if (configured.length)
      return [...configured.map((repository) => this.repositoryNode(node, repository)), addRepository];
    try {
      const { items, more } = await this.pagedItems(node, (signal) =>
        this.stores.repositories(host, this.settings().pageSize, signal),
      );
      return [...items.map((repository) => this.repositoryNode(node, repository)), ...more, addRepository];
    } catch (error) {
      // No catalog (GHCR, Docker Hub…): the user names the repositories instead.
      if (OciError.is(error, 'NOT_FOUND') || OciError.is(error, 'UNSUPPORTED')) return [addRepository];
      throw error;
    }
  }

  private repositoryNode(parent: RegistryNode, repository: string): RepositoryNode {
    const store = { kind: 'registry' as const, host: parent.setting.host, repository };
    return { type: 'repository', id: storeId(store), store };
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
    try {
      lines.push(`Credentials: ${describeCredentialSource(await this.stores.credentialSource(host, signal))}`);
      const repository = node.setting.repositories?.[0] ?? this.firstListedRepository(node);
      if (repository) lines.push(...describeCapabilities(await this.stores.capabilities(host, repository, signal)));
      else lines.push('Capabilities: known once a repository is listed');
    } catch (error) {
      lines.push(`Not reachable: ${adviseOn(error).message}`);
    }
    item.tooltip = untrustedText(lines.join('\n'), { multiline: true });
    return item;
  }

  private firstListedRepository(node: RegistryNode): string | undefined {
    return this.listedRepositories(node.setting.host)[0];
  }

  /** Repositories of `host` the view has shown (from the catalog or the settings). */
  listedRepositories(host: string): string[] {
    const repositories: string[] = [];
    for (const found of this.knownNodes()) {
      if (found.type === 'repository' && found.store.host === host) repositories.push(found.store.repository);
    }
    return repositories;
  }

  /** After a login or logout: fresh credentials, and the registry redrawn. */
  credentialsChanged(host: string): void {
    this.stores.reset(host);
    this.notified.delete(host);
    this.refreshRegistry(host);
  }

  refreshRegistry(host: string): void {
    const node = this.nodeById(registryId(host));
    if (node) this.refresh(node);
    else this.refresh();
  }

  override refresh(node?: TreeNode): void {
    if (!node) this.notified.clear();
    else if (node.type === 'registry') this.notified.delete(node.setting.host);
    super.refresh(node);
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
      .notify('error', `${host}: ${advice.message}`, advice.stepLabel)
      .then((choice) => {
        if (choice === advice.stepLabel) void vscode.commands.executeCommand(command, this.nodeById(registryId(host)));
      });
  }
}
