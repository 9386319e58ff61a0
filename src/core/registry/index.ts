// core/registry, the door: a Target over the distribution API (undici): auth, credentials, TLS, paging, limits,
// capability probes.
export { apiHost, isDockerHub, registryOrigin, type RegistryConfig } from './registryConfig';
export {
  RegistryClient,
  type RegistryClientOptions,
  type RegistryRequest,
  type RegistryResponse,
  type RequestBody,
} from './RegistryClient';
export { Connections, type HostSettings, type SharedClientOptions } from './Connections';
export { RegistryTarget, type RegistryTargetOptions } from './RegistryTarget';
export { listRepositories, MAX_CATALOG_PAGE } from './catalog';
export {
  probeCapabilities,
  probeCatalog,
  probeChunkedUpload,
  probeDelete,
  probeMount,
  probeReferrersApi,
  type RegistryCapabilities,
} from './capabilities';
export {
  resolveCredentials,
  dockerConfigFile,
  podmanAuthFile,
  type CredentialChainOptions,
  type CredentialProvider,
  type CredentialSource,
  type Credentials,
  type ResolvedCredentials,
} from './credentials';
export { parseChallenges, type Challenge } from './challenge';
export { redactUrl, type HttpLogEntry, type HttpLogger } from './httpLog';
export { DEFAULT_UPLOAD_TUNING, type UploadTuning } from './blobUpload';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export { CATALOG_SCOPE, mergeScopes, repositoryScope } from './scopes';
export { removeDockerLogin, saveDockerLogin } from './dockerLogin';
export { DEFAULT_LIMITS, type RegistryLimits } from './limits';
export { redactSecrets } from './redact';
export { defaultRegistryConfig, isLoopbackHost } from './registryConfig';
export { proxyFromEnvironment, type ProxySettings } from './dispatchers';
export { defaultDockerCertsDirs } from './trustStore';
