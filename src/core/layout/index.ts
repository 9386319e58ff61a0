// core/layout, the door: a Target over an OCI image layout folder or a layout archive (tar): index.json under a lock, garbage collection.
export { LayoutTarget } from './LayoutTarget';
export { ArchiveTarget } from './ArchiveTarget';
export { archiveOfStagingFolder, stagingFolderOf } from './archiveNames';
export { isLayoutArchive } from './archiveEntries';
export { type LockHolder } from './fileLock';
export { INDEX_LOCK_FILE, lockLayoutIndex } from './indexLock';
export { DEFAULT_GC_GRACE_MS, type GarbageCollectResult } from './garbageCollect';
export { LAYOUT_FILE } from './indexFile';
export { describeHeld, soleArtifact, soleArtifactOf, type SoleArtifact } from './soleArtifact';
