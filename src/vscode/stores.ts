// Opens the engine's stores for the editor through core's openTarget and one Connections pool; this file only
// supplies what is the editor's own: the hosts' settings (stowage.registries, stowage.limits), the SecretStorage
// credential provider, the HTTP log and where registry warnings go. The pool rebuilds a client when its host's
// settings change; reset drops a host's credentials after log in or out.
import { openTarget } from '../core/open';
import {
  Connections,
  probeCapabilities,
  type RegistryCapabilities,
  repositoryLister,
  type NamespaceApiBases,
  type RepositoryLister,
  type CredentialProvider,
  type CredentialSource,
  type Credentials,
  type SharedClientOptions,
  checkCredentials,
  LoopbackTransports,
  type RegistryConfig,
} from '../core/registry';
import { isFinisher, type FinishOptions, type Target } from '../core/content';
import type { StoreRef } from '../core/oci';
import { editorProxySettings } from './proxySettings';
import type { RegistrySetting, StowageSettings } from './settingsModel';

export class Stores {
  private readonly connections: Connections;
  /** How each loopback registry nobody configured is spoken to, asked once (one TLS hello), as the CLI does. */
  private readonly loopback = new LoopbackTransports();

  constructor(
    private readonly settings: () => StowageSettings,
    credentials: CredentialProvider,
    /** The HTTP log and where registry warnings go. */
    hooks: Pick<SharedClientOptions, 'logger' | 'onWarning'>,
  ) {
    this.connections = new Connections(
      (host) => ({
        registry: this.configured(host) ?? this.learnt(host),
        limits: this.settings().limits,
        proxy: editorProxySettings(),
      }),
      { credentials: { provider: credentials }, ...hooks, userAgent: 'stowage-vscode' },
    );
  }

  /** The host's settings, or how the engine reaches a host that is not configured (see isConfigured). */
  registrySetting(host: string): RegistrySetting {
    return this.configured(host) ?? this.connections.config(host);
  }

  isConfigured(host: string): boolean {
    return this.configured(host) !== undefined;
  }

  /**
   * The store's Target. A layout archive opened without `create` is read-only: the editor browses archives, and
   * only a command that writes one (Back Up Repository…) opens it to write, and finishes it.
   */
  async target(store: StoreRef, options: { create?: boolean } = {}): Promise<Target> {
    // A registry on this machine nobody configured (Copy To a typed reference): TLS or plain HTTP, as it answers.
    if (store.kind === 'registry' && !this.isConfigured(store.host)) await this.loopback.learn(store.host);
    return (await openTarget(store, this.connections, { ...options, readOnly: !options.create })).target;
  }

  /**
   * Opens `store` as a destination (a missing layout is made), runs `work` on it and, once it succeeded, makes the
   * writes durable where the store holds them back (a layout archive is written then). The editor's one way to
   * write into a store, as the CLI's session is the command line's. `onFinalWrite` follows that last write (an
   * archive of gigabytes takes seconds once every byte was fetched).
   */
  async writeTo<T>(
    store: StoreRef,
    work: (target: Target) => Promise<T>,
    signal?: AbortSignal,
    onFinalWrite?: FinishOptions['onProgress'],
  ): Promise<T> {
    const target = await this.target(store, { create: true });
    try {
      const result = await work(target);
      if (isFinisher(target)) await target.finish({ signal, onProgress: onFinalWrite });
      return result;
    } finally {
      // After a failure the staged writes stay for a rerun; the store's writer lock goes either way.
      if (isFinisher(target)) await target.release();
    }
  }

  /**
   * Where the web APIs that list Docker Hub and GHCR namespaces live. Only the extension's tests change it
   * (through the test API): a GHCR token goes there, so it is never a setting.
   */
  namespaceApiBases: Partial<NamespaceApiBases> = {};

  /** How the registry's repositories are listed (catalog or namespaces), or undefined when nothing is to list. */
  repositoryLister(setting: RegistrySetting): RepositoryLister | undefined {
    return repositoryLister(this.connections.client(setting.host), {
      namespaces: setting.namespaces,
      bases: this.namespaceApiBases,
    });
  }

  capabilities(host: string, repository: string, signal?: AbortSignal): Promise<RegistryCapabilities> {
    return probeCapabilities(this.connections.client(host), repository, signal);
  }

  /** Whether `credentials` alone open the registry (before Log In… saves them); throws AuthError when refused. */
  checkCredentials(host: string, credentials: Credentials, signal?: AbortSignal): Promise<void> {
    return checkCredentials(this.connections.config(host), credentials, { proxy: editorProxySettings(), signal });
  }

  /** GET /v2/ of a host with its settings: throws what a call to it would (NetworkError, TlsError, AuthError…). */
  async reach(host: string, signal?: AbortSignal): Promise<void> {
    await this.connections.client(host).ping(signal);
  }

  credentialSource(host: string, signal?: AbortSignal): Promise<CredentialSource> {
    return this.connections.client(host).credentialSource(signal);
  }

  /** Forgets cached credentials, tokens and probes of a host (after log in or out). */
  reset(host: string): void {
    this.loopback.forget(host);
    this.connections.reset(host);
  }

  /** Closes clients of hosts whose settings changed or that are no longer configured. */
  settingsChanged(): void {
    this.connections.settingsChanged();
  }

  dispose(): void {
    void this.connections.clear();
  }

  /** A loopback host nobody configured, once it said whether it speaks TLS; else the engine's default rule. */
  private learnt(host: string): RegistryConfig | undefined {
    const plainHttp = this.loopback.plainHttp(host);
    return plainHttp === undefined ? undefined : { host, plainHttp };
  }

  private configured(host: string): RegistrySetting | undefined {
    return this.settings().registries.find((r) => r.host === host);
  }
}
