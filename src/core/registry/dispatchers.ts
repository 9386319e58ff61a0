// Connection pools: one for the registry's own origin with its TLS settings, one for the other origins it sends
// us to (token realms, blob storage behind redirects). Both trust the registry's extra CA in addition to the
// system's — private registries often run their token service and storage under the same private CA — but
// skipping verification is an opt-in for the registry's own origin only.
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { Agent } from './undiciAgent';
import { OciError } from '../oci';
import type { RegistryConfig } from './registryConfig';

const POOL = { connections: 8, keepAliveTimeout: 10_000, pipelining: 1 } as const;

/**
 * How long a connection may stay silent (no response headers, or no body bytes) before the request fails as
 * stalled. undici waits 5 minutes by default; a registry that says nothing for a minute is not coming back,
 * and a stalled blob download resumes with a Range request anyway.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

function pool(stallTimeoutMs: number) {
  return { ...POOL, headersTimeout: stallTimeoutMs, bodyTimeout: stallTimeoutMs };
}

function trustedCas(config: RegistryConfig): string[] | undefined {
  if (!config.caFile) return undefined;
  let extra: string;
  try {
    extra = fs.readFileSync(config.caFile, 'utf8');
  } catch (err) {
    throw new OciError('USAGE', `cannot read the CA file configured for ${config.host}`, { cause: err });
  }
  // Giving `ca` replaces the system roots, so add them back: the extra CA is trusted in addition.
  return [...tls.rootCertificates, extra];
}

export function createRegistryDispatcher(
  config: RegistryConfig,
  stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS,
): Dispatcher {
  const connect: tls.ConnectionOptions = {};
  const ca = trustedCas(config);
  if (ca) connect.ca = ca;
  if (config.skipTlsVerify) connect.rejectUnauthorized = false;
  return new Agent({ ...pool(stallTimeoutMs), connect });
}

export function createOtherOriginDispatcher(
  config: RegistryConfig,
  stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS,
): Dispatcher {
  const ca = trustedCas(config);
  return new Agent({ ...pool(stallTimeoutMs), connect: ca ? { ca } : {} });
}
