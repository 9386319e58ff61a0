// core/layout, the door: a Target over an OCI image layout folder: index.json under a lock, garbage collection.
export { LayoutTarget } from './LayoutTarget';
export { DEFAULT_GC_GRACE_MS, type GarbageCollectResult } from './garbageCollect';
