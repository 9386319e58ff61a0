// What every case gets: the options, the run plan and a scratch folder (removed at the end).
import type { Plan } from '../pairs';

export interface BenchOptions {
  /** The large file of the push, pull and copy cases. */
  sizeMiB: number;
  /** Sizes of the memory case (peak RSS must not grow with size). */
  memorySizesMiB: number[];
  smallFiles: number;
  tags: number;
  repositories: number;
  indexEntries: number;
  /** The many-tag case: tags verified, tags copied and backed up (each signed), tags listed. */
  manyTags: { verified: number; copied: number; listed: number };
  /** Case names to run (all when empty). */
  only: string[];
}

export interface BenchContext {
  options: BenchOptions;
  plan: Plan;
  work: string;
}

export function sizeLabel(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}
