// core/content, the door: the store contract (Target and its capabilities), hashing and verifying while bytes
// flow, file chunks, atomic and hashed file writes, link-free reads under a root. Knows no registry and no layout.
export { chunksToTempFile, removeQuietly, streamToTempFile, syncDirectory, writeFileAtomic } from './atomicFile';
export { bytesContent } from './bytesContent';
export { findExecutableOnPath } from './executableOnPath';
export { EMPTY_JSON } from './emptyContent';
export { fileChunks } from './fileChunks';
export { hashingStages, openHashing } from './hashingStages';
export { hashingWorkerWrites, writeFileHashing } from './hashingFileWrite';
export { Hasher, HashingStream, digestOf, verifyBytes } from './hashing';
export { type Limiter, createLimiter } from './limit';
export { sleep } from './sleep';
export { mediaTypeOfManifest, parseManifestBytes } from './parseManifest';
export { LayoutSymlinkError, assertNoSymlink, openLayoutFile, readLayoutFile, statLayoutEntry } from './noSymlinks';
export {
  type BlobContent,
  type FetchedManifest,
  type PushManifestResult,
  type Target,
  type TransferOptions,
  type UnhashedBlobOptions,
  fileBlobContent,
  isMounter,
  type Mounter,
} from './target';
