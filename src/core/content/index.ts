// The content package's public door: everything other packages, the CLI and the editor use of it.
export { chunksToTempFile, removeQuietly, streamToTempFile, syncDirectory, writeFileAtomic } from './atomicFile';
export { findExecutableOnPath } from './executableOnPath';
export { fileChunks } from './fileChunks';
export { hashingStages, openHashed } from './hashedContent';
export { hashingWorkerWrites, writeHashedFile } from './hashedFileWrite';
export { Hasher, HashingStream, digestOf, verifyBytes } from './hashing';
export { type Limiter, createLimiter } from './limit';
export { LayoutSymlinkError, assertNoSymlink, openLayoutFile, readLayoutFile, statLayoutEntry } from './noSymlinks';
export { type BlobContent, type FetchedManifest, type PushManifestResult, type Target, type TransferOptions, type UnhashedBlobOptions, fileBlobContent, isMounter, type Mounter } from './target';
