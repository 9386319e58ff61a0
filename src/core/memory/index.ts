// core/memory, the door: a Target held in memory (with or without a referrers API), for unit tests of the graph
// walk and everything above it.
export { MemoryTarget, type MemoryTargetOptions } from './MemoryTarget';
