// core/content, the door: the store contract (Target and its capabilities), hashing and verifying while bytes
// flow, file chunks, atomic and hashed file writes, link-free reads under a root. Knows no registry and no layout.
export {
  chunksToTempFile,
  removeQuietly,
  streamToTempFile,
  syncDirectory,
  pathlessAbout,
  tempPathIn,
  writeFileAtomic,
} from './atomicFile';
export { BackgroundFlush } from './backgroundFlush';
export { bytesContent } from './bytesContent';
export { findExecutableOnPath } from './executableOnPath';
export { EMPTY_JSON } from './emptyContent';
export { fileChunks } from './fileChunks';
export { copyFileToTemp } from './fileCopy';
export { fileVersion, fileVersionNow } from './fileVersion';
export { copyPipelined } from './pipelinedCopy';
export { FolderNotCreatableError, makeFolders } from './makeFolders';
export { hashingStages, openHashing } from './hashingStages';
export { hashingWorkerWrites, writeFileHashing, writeTempFileHashing } from './hashingFileWrite';
export { Hasher, HashingStream, digestOf, verifyBytes } from './hashing';
export { hashFile } from './hashFile';
export { type Limiter, createLimiter } from './limit';
export { MAX_DOCUMENT_BYTES, readSmallBlob } from './readSmallBlob';
export { sleep } from './sleep';
export { manifestToStore, mediaTypeOfManifest, parseManifestBytes, taggedMediaType } from './parseManifest';
export { checkTagIn, manifestToKeep, taggedTypeIn } from './keptManifest';
export {
  type FileIdentity,
  LayoutSymlinkError,
  SymlinkRefusedError,
  assertNoSymlink,
  openLayoutFile,
  openNoFollow,
  readLayoutFile,
  statLayoutEntry,
} from './noSymlinks';
export {
  type BlobContent,
  type Cancellable,
  type FinishOptions,
  type WriteProgress,
  type BlobFile,
  type FileRange,
  type BlobFileSource,
  type FetchedManifest,
  type Finisher,
  type Mounter,
  type PushManifestResult,
  type ReadOnlyTarget,
  type ReferrersLister,
  type ReferrersLock,
  type Target,
  type TransferOptions,
  type UnhashedBlobOptions,
  type UnhashedBlobPusher,
  type UnverifiedBlobReader,
  type Untagger,
  type ManifestReleaser,
  type Warner,
  type ReleaseOptions,
  fileBlobContent,
  isBlobFileSource,
  isFinisher,
  isMounter,
  isReferrersLister,
  isReferrersLock,
  isUnhashedBlobPusher,
  isUntagger,
  isManifestReleaser,
  isWarner,
  isUnverifiedBlobReader,
} from './target';
export {
  type BlobDeleter,
  type BlobReadChecker,
  type BlobStatter,
  type WholeGraphKeeper,
  type IndexBatcher,
  type PendingTagWriter,
  type PendingTagsWritten,
  writePendingTags,
  withBatchedIndex,
  isBlobDeleter,
  isBlobReadChecker,
  isBlobStatter,
  keepsWholeGraphs,
} from './target';
export { destroyOnAbort } from './abortStream';
export { readAllAt } from './readAllAt';
export { removeTree } from './removeTree';
export { writeAllAt } from './writeAllAt';
export { processIsGone } from './processes';
export { MAX_SHARED_MANIFEST_BYTES, SharedManifestReads } from './sharedManifestReads';
export {
  type LeftOverStaging,
  type StagingFolder,
  STAGING_PREFIX,
  createStagingFolder,
  isStagingFolderName,
  leftOverStagingFolders,
  leftOverStagingSize,
  measureTree,
  removeLeftOverStagingFolders,
} from './stagingFolder';
export { tagPages, type TagListing } from './tagPages';
export { hostPlatform } from './hostPlatform';
export { cutToWidth, displayWidth, padToWidth } from './displayWidth';
export { linkedAbort, linkedDeadline, type LinkedAbort } from './linkedAbort';
