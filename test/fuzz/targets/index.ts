// Every fuzz target, in the order runs report them.
import type { FuzzTarget } from '../fuzzTarget';
import { challengeTarget } from './challengeTarget';
import { lintTarget } from './lintTarget';
import { mediaTypeTarget } from './mediaTypeTarget';
import { referenceTarget } from './referenceTarget';
import { tarTarget } from './tarTarget';

export const FUZZ_TARGETS: FuzzTarget<never>[] = [
  referenceTarget,
  challengeTarget,
  lintTarget,
  mediaTypeTarget,
  tarTarget,
] as FuzzTarget<never>[];
