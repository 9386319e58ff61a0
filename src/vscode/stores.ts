// Opens the engine's stores for the editor: one registry client per host (with the host's settings, or the
// engine's defaults for a host not configured; the SecretStorage credential provider; the HTTP log), a Target per
// repository or layout folder. Clients are rebuilt when their host's settings change and reset when its
// credentials change.
import { LayoutTarget } from '../core/layout';
import {
  probeCapabilities,
  type RegistryCapabilities,
  listRepositories,
  defaultRegistryConfig,
  type CredentialProvider,
  type CredentialSource,
  type HttpLogger,
  RegistryClient,
  RegistryTarget,
} from '../core/registry';
import type { Target } from '../core/content';
import type { StoreRef } from '../core/oci';
import type { RegistrySetting, StowageSettings } from './settingsModel';

interface OpenClient {
  /** The settings the client was built with, to tell when they change. */
  fingerprint: string;
  client: RegistryClient;
}

export class Stores {
  private readonly clients = new Map<string, OpenClient>();

  constructor(
    private readonly settings: () => StowageSettings,
    private readonly credentials: CredentialProvider,
    private readonly logger: HttpLogger,
  ) {}

  /** The host's settings, or the engine's defaults for a host that is not configured (see isConfigured). */
  registrySetting(host: string): RegistrySetting {
    return this.settings().registries.find((r) => r.host === host) ?? defaultRegistryConfig(host);
  }

  isConfigured(host: string): boolean {
    return this.settings().registries.some((r) => r.host === host);
  }

  client(host: string): RegistryClient {
    const setting = this.registrySetting(host);
    const config = {
      host,
      plainHttp: setting.plainHttp,
      caFile: setting.caFile,
      skipTlsVerify: setting.skipTlsVerify,
      allowCredentialsOverHttp: setting.allowCredentialsOverHttp,
    };
    const limits = this.settings().limits;
    const fingerprint = JSON.stringify({ config, limits });
    const open = this.clients.get(host);
    if (open?.fingerprint === fingerprint) return open.client;
    if (open) void open.client.close();
    const client = new RegistryClient(config, {
      credentials: { provider: this.credentials },
      logger: this.logger,
      userAgent: 'stowage-vscode',
      limits,
    });
    this.clients.set(host, { fingerprint, client });
    return client;
  }

  async target(store: StoreRef, options: { create?: boolean } = {}): Promise<Target> {
    if (store.kind === 'layout') return LayoutTarget.open(store.path, { create: options.create });
    return new RegistryTarget(this.client(store.host), store.repository);
  }

  repositories(host: string, pageSize: number, signal?: AbortSignal): AsyncIterator<string[]> {
    return listRepositories(this.client(host), { pageSize, signal })[Symbol.asyncIterator]();
  }

  capabilities(host: string, repository: string, signal?: AbortSignal): Promise<RegistryCapabilities> {
    return probeCapabilities(this.client(host), repository, signal);
  }

  credentialSource(host: string, signal?: AbortSignal): Promise<CredentialSource> {
    return this.client(host).credentialSource(signal);
  }

  /** Forgets cached credentials, tokens and probes of a host (after log in or out). */
  reset(host: string): void {
    this.clients.get(host)?.client.reset();
  }

  /** Closes clients of hosts whose settings changed or that are no longer configured. */
  settingsChanged(): void {
    for (const host of [...this.clients.keys()]) this.client(host);
  }

  dispose(): void {
    for (const { client } of this.clients.values()) void client.close();
    this.clients.clear();
  }
}
