// Words for a registry's tooltip: what the capability probe found and where credentials come from.
import type { RegistryCapabilities, CredentialSource } from '../../core/registry';

const SOURCES: Record<CredentialSource, string> = {
  explicit: 'given for this session',
  provider: 'Stowage login (SecretStorage)',
  'docker-config': 'docker config.json',
  'credential-helper': 'docker credential helper',
  podman: 'podman auth.json',
  anonymous: 'anonymous',
};

export function describeCredentialSource(source: CredentialSource): string {
  return SOURCES[source] ?? source;
}

export function describeCapabilities(c: RegistryCapabilities): string[] {
  const yesNo = (value: boolean | undefined, unknown = 'unknown') =>
    value === undefined ? unknown : value ? 'yes' : 'no';
  const lines = [
    `Referrers API: ${yesNo(c.referrersApi)}${c.referrersApi ? '' : ' (fallback tags are used)'}`,
    `Catalog: ${yesNo(c.catalog)}`,
    `Delete: ${yesNo(c.delete, 'unknown (no delete permission)')}`,
    `Cross-repository mount: ${yesNo(c.mount)}`,
    `Chunked upload: ${yesNo(c.chunkedUpload)}${c.chunkMinLength ? ` (min chunk ${c.chunkMinLength} bytes)` : ''}`,
  ];
  return lines;
}
