// How to reach one registry: the host users write, and the per-registry transport settings.
import { isLoopbackHost } from './plainHttpCredentials';

export interface RegistryConfig {
  /** Host as written in references and settings, with port when not 443: "ghcr.io", "127.0.0.1:5000", "docker.io". */
  host: string;
  /** Talk plain HTTP (only for hosts configured so). */
  plainHttp?: boolean;
  /** PEM file with extra CA certificates trusted for this registry (in addition to the system's). */
  caFile?: string;
  /**
   * PEM client certificate and its key, presented to this registry's own origin for mutual TLS (ORAS's --cert-file
   * and --key-file); without them, docker's certs.d/<host>/client.cert and client.key are (trustStore.ts).
   */
  certFile?: string;
  keyFile?: string;
  /** Do not verify the TLS certificate: an explicit, per-registry opt-in. */
  skipTlsVerify?: boolean;
  /**
   * Send credentials over plain HTTP or unverified TLS even though the host is not loopback (a trusted private
   * network): an explicit, per-registry opt-in. Without it they go only to a registry reached over verified TLS
   * or on 127.0.0.0/8, ::1 and localhost, and a token service on another host gets them only over HTTPS (see
   * plainHttpCredentials.ts).
   */
  allowCredentialsOverHttp?: boolean;
  /**
   * Extra request headers for this registry (lower-case names; see customHeaders.ts): sent to its own origin
   * only, and only where credentials could go.
   */
  headers?: Record<string, string>;
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The host that serves the registry API: Docker Hub is "docker.io" in references but "registry-1.docker.io" on the wire. */
export function apiHost(host: string): string {
  return DOCKER_HUB_ALIASES.has(host.toLowerCase()) ? 'registry-1.docker.io' : host;
}

export function isDockerHub(host: string): boolean {
  return DOCKER_HUB_ALIASES.has(host.toLowerCase());
}

/** "https://host" (or "http://host" when configured for plain HTTP): where `/v2/` lives. */
export function registryOrigin(config: RegistryConfig): string {
  return `${config.plainHttp ? 'http' : 'https'}://${apiHost(config.host)}`;
}

// One rule for "this machine", used by the default connection and by where credentials may go.
export { isLoopbackHost };

/**
 * How to reach a registry nobody configured: TLS verified against the system's CAs, except on loopback, where
 * registries started for development usually speak plain HTTP (docker's rule for 127.0.0.0/8 too).
 */
export function defaultRegistryConfig(host: string): RegistryConfig {
  return isLoopbackHost(host) ? { host, plainHttp: true } : { host };
}
