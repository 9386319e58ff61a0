// One connection pool per registry, with that registry's TLS settings; a plain pool for other origins
// (token realms, blob storage behind redirects) that trusts only the system CAs.
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { OciError } from '../errors';
import type { RegistryConfig } from './registryConfig';

const POOL = { connections: 8, keepAliveTimeout: 10_000, pipelining: 1 } as const;

export function createRegistryDispatcher(config: RegistryConfig): Dispatcher {
  const connect: tls.ConnectionOptions = {};
  if (config.caFile) {
    let extra: string;
    try {
      extra = fs.readFileSync(config.caFile, 'utf8');
    } catch (err) {
      throw new OciError('USAGE', `cannot read the CA file configured for ${config.host}`, { cause: err });
    }
    // Giving `ca` replaces the system roots, so add them back: the extra CA is trusted in addition.
    connect.ca = [...tls.rootCertificates, extra];
  }
  if (config.skipTlsVerify) connect.rejectUnauthorized = false;
  return new Agent({ ...POOL, connect });
}

export function createDefaultDispatcher(): Dispatcher {
  return new Agent(POOL);
}
