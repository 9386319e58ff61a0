// core/registry, the door: a Target over the distribution API (undici): auth, credentials, TLS, paging, limits,
// capability probes. It exports what code outside the package uses; the rest stays inside.
export { type RegistryConfig } from './registryConfig';
export { RegistryClient } from './RegistryClient';
export { RegistryTarget } from './RegistryTarget';
export { listRepositories } from './catalog';
export { catalogNamesForHint } from './catalogNames';
export { probeCapabilities, probeReferrersApi, type RegistryCapabilities } from './capabilities';
export { type CredentialProvider, type CredentialSource, type Credentials } from './credentials';
export { CANCELLED, type HttpLogEntry, type HttpLogger } from './httpLog';
export { parseWarningHeaders, type RegistryWarningHandler } from './registryWarnings';
export { checkCredentials } from './checkCredentials';
export { parseCustomHeaders } from './customHeaders';
export { parseResolveOverride, type ResolveOverride } from './resolveOverrides';
export { Connections, type HostSettings, type SharedClientOptions } from './Connections';
export { removeDockerLogin, saveDockerLogin } from './dockerLogin';
export { DEFAULT_LIMITS, type RegistryLimits } from './limits';
export { redactSecrets } from './redact';
export { isUnknownRepository } from './registryErrors';
export { defaultRegistryConfig, isLoopbackHost } from './registryConfig';
export { proxyFromEnvironment, type ProxySettings } from './dispatchers';
export { defaultDockerCertsDirs } from './trustStore';
export {
  MAX_TRUST_FILE_BYTES,
  notRegular,
  readOpenTrustFile,
  readTrustFile,
  TOO_LARGE,
  TRUST_FILE_OPEN_FLAGS,
  unreadable,
} from './trustFile';
export { keyMatchesCertificate, tlsMaterialProblem, type TlsFileRole } from './tlsMaterial';
export { knownWebUrl, registryWebUrl, fillWebUrlTemplate, type WebUrlTarget } from './webUrl';
export {
  DEFAULT_NAMESPACE_API_BASES,
  type NamespaceApiBases,
  listNamespaceRepositories,
  namespaceApiOf,
} from './namespaceRepositories';
export { type RepositoryLister, type RepositoryListOptions, repositoryLister } from './repositoryLister';
export { nameFilter, type NameFilter } from './nameFilter';
export { answersInPlainHttp, LoopbackTransports } from './transportProbe';
