// One RegistryClient per registry host, built on first use from that host's settings, so everything that talks to
// a host shares its connections, tokens and probes. Callers supply only what differs between them (settings,
// credentials, logger); the rule for a host nobody configured (TLS verified, plain HTTP on loopback) and the
// rebuilding after a settings change live here, once.
import * as fs from 'node:fs';
import { RegistryClient, type RegistryClientOptions } from './RegistryClient';
import type { ProxySettings } from './dispatchers';
import type { RegistryLimits } from './limits';
import { defaultRegistryConfig, type RegistryConfig } from './registryConfig';

/** What one host's client is built from; read again on every use, so a change shows on the next request. */
export interface HostSettings {
  /** The host's transport settings as configured, or undefined for a host nobody configured (the default rule). */
  registry?: RegistryConfig;
  limits?: Partial<RegistryLimits>;
  /** The forward proxy (default: the environment's; see dispatchers.ts). */
  proxy?: ProxySettings;
}

/** Client options every host shares: the credentials chain, the HTTP logger, the user agent… */
export type SharedClientOptions = Omit<RegistryClientOptions, 'limits'>;

interface OpenClient {
  /** The settings the client was built with, to tell when they change. */
  fingerprint: string;
  client: RegistryClient;
}

export class Connections {
  private readonly clients = new Map<string, OpenClient>();

  constructor(
    private readonly settings: (host: string) => HostSettings,
    private readonly shared: SharedClientOptions = {},
  ) {}

  /** How `host` is reached: its configured transport settings, or the default for a host nobody configured. */
  config(host: string): RegistryConfig {
    const configured = this.settings(host).registry;
    if (!configured) return defaultRegistryConfig(host);
    const { plainHttp, caFile, certFile, keyFile, skipTlsVerify, allowCredentialsOverHttp, headers } = configured;
    return { host, plainHttp, caFile, certFile, keyFile, skipTlsVerify, allowCredentialsOverHttp, headers };
  }

  /** The host's client: the one already open while its settings stay the same, else a new one (the old closed). */
  client(host: string): RegistryClient {
    const { fingerprint, config, limits, proxy } = this.current(host);
    const open = this.clients.get(host);
    if (open?.fingerprint === fingerprint) return open.client;
    if (open) void open.client.close();
    const client = new RegistryClient(config, { ...this.shared, limits, ...(proxy ? { proxy } : {}) });
    this.clients.set(host, { fingerprint, client });
    return client;
  }

  /** Forgets the cached credentials, tokens and probes of a host (after log in or out); keeps its connections. */
  reset(host: string): void {
    this.clients.get(host)?.client.reset();
  }

  /** Closes the clients of hosts whose settings changed (or that are no longer configured); the rest stay. */
  settingsChanged(): void {
    for (const [host, open] of [...this.clients]) {
      if (this.current(host).fingerprint === open.fingerprint) continue;
      this.clients.delete(host);
      void open.client.close();
    }
  }

  /** Closes every client; the pool stays usable and builds new clients on next use. */
  async clear(): Promise<void> {
    const open = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(open.map(({ client }) => client.close()));
  }

  private current(host: string): { fingerprint: string; config: RegistryConfig } & Omit<HostSettings, 'registry'> {
    const config = this.config(host);
    const { limits, proxy } = this.settings(host);
    // A client reads its TLS files once; one replaced on disk (a CA or client certificate rotated, the settings
    // alone unchanged) makes a new client, else the editor trusted the old CA until its window was reloaded.
    const files = [config.caFile, config.certFile, config.keyFile].map((file) => this.stampOf(file));
    return { fingerprint: JSON.stringify({ config, limits, proxy, files }), config, limits, proxy };
  }

  /** Which version of a configured TLS file is on disk; '' for none, or one the caller read already (a pipe). */
  private stampOf(file: string | undefined): string {
    if (!file || this.shared.trustFiles?.has(file)) return '';
    try {
      const info = fs.statSync(file);
      return info.isFile() ? `${info.ino}:${info.size}:${info.mtimeMs}` : '';
    } catch {
      return 'unreadable';
    }
  }
}
