// The layout package's public door: everything other packages, the CLI and the editor use of it.
export { LayoutTarget } from './LayoutTarget';
export { DEFAULT_GC_GRACE_MS, type GarbageCollectResult } from './garbageCollect';
