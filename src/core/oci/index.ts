// core/oci, the door: names and shapes of OCI (references, digests, descriptors, media types, manifests, the
// image layout's file names), typed errors and the one sanitiser for untrusted text. No I/O and no Node APIs: the
// webview uses it too.
export { parseAnnotationText } from './annotationText';
export {
  type Descriptor,
  EMPTY_DESCRIPTOR,
  type ImageIndex,
  type ImageManifest,
  type Manifest,
  type Platform,
  artifactTypeOf,
  cleanDescriptor,
  descriptorProblem,
  isIndex,
  shortDigest,
  titleOf,
} from './descriptor';
export { platformMatches, platformText } from './platform';
export { manifestShapeProblem, wellShaped } from './manifestShape';
export { formatBytes, formatContentSize, formatManifestSize } from './formatBytes';
export { describeRate, formatDuration, TransferRate } from './transferRate';
export { counted } from './counted';
export { foldWords, type Measure } from './foldWords';
export { type Algorithm, algorithmOf, assertDigest, digestProblem, encodedOf, isDigest } from './digest';
export {
  AbortedError,
  AuthError,
  DigestMismatchError,
  InsecureTransportError,
  NetworkError,
  NotFoundError,
  OciError,
  OutputExistsError,
  RateLimitError,
  SizeExceededError,
  TlsError,
  UnsafePathError,
  printable,
  throwIfAborted,
} from './errors';
export { INDEX_FILE, LAYOUT_FILE, LAYOUT_VERSION, MAX_INDEX_BYTES, MAX_LAYOUT_FILE_BYTES } from './imageLayout';
export {
  Annotation,
  EMPTY_DIGEST,
  EMPTY_JSON_BASE64,
  MANIFEST_ACCEPT,
  MAX_MANIFEST_BYTES,
  MediaType,
  isIndexType,
  isManifestOrIndex,
  isManifestType,
  isMediaType,
  mediaTypeProblem,
  IMAGE_LAYER_TYPES,
} from './mediaTypes';
export {
  echoedReference,
  ARCHIVE_PREFIX,
  LAYOUT_PREFIX,
  type Reference,
  DOCKER_HUB,
  formatReference,
  hostProblem,
  hostWithoutSignIn,
  isTag,
  parseReference,
  parseRegistryReference,
  repositoryProblem,
  tagProblem,
} from './reference';
export { type LayoutStoreRef, type RegistryStoreRef, type StoreRef, registryId, storeId, storeOf } from './storeRef';
export {
  MAX_DETAIL_LENGTH,
  isInvisible,
  showInvisible,
  escapeInvisibleInJson,
  untrustedCode,
  untrustedLabel,
  untrustedMarkdown,
  untrustedText,
} from './untrustedText';
export { STOWAGE_VERSION } from './version';
export {
  firstRepeatedKey,
  isJsonObject,
  MAX_JSON_DEPTH,
  mayNameMember,
  offsetBeyondDepth,
  parseJsonObject,
} from './jsonObject';
export { detectSbomType, isSbomArtifactType, mayBeSbom, sbomMediaType, sbomTypeOf, type SbomType } from './sbomType';
export { isReferrerTag } from './referrerTag';
