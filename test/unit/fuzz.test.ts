// A short fuzz run of every target inside the unit suite (the long run is `npm run fuzz`). The seed changes
// per run and is printed on failure, so a failure found here reproduces with `npm run fuzz -- --seed N`.
import * as assert from 'node:assert/strict';
import { recordFigures } from '../helpers/figures';
import { describeReport, runFuzzTarget } from '../fuzz/runFuzz';
import { FUZZ_TARGETS } from '../fuzz/targets';

const CASES = Number(process.env.STOWAGE_FUZZ_CASES ?? 2000);
// Unpacker cases touch the disk (mkdir, extract, list, remove): fewer of them keep the unit suite quick.
const DISK_CASES = Math.min(CASES, 500);
const SEED =
  process.env.STOWAGE_FUZZ_SEED !== undefined
    ? Number(process.env.STOWAGE_FUZZ_SEED) >>> 0
    : (Math.random() * 2 ** 32) >>> 0;

describe(`fuzzing (short run, seed ${SEED})`, function () {
  this.timeout(120_000);
  for (const target of FUZZ_TARGETS) {
    const cases = target.parallel ? DISK_CASES : CASES;
    it(`${target.name}: ${cases} random and mutated inputs, no crash, no hang, contract kept`, async () => {
      const report = await runFuzzTarget(target, { cases, seed: SEED, budgetMs: 60_000, caseTimeoutMs: 5000 });
      recordFigures('fuzz-short', {
        [report.target]: {
          tried: report.cases,
          held: report.cases - report.failures.length,
          detail: `fuzz cases in npm test (seed ${SEED})`,
        },
      });
      assert.equal(
        report.failures.length,
        0,
        `${describeReport(report)}\nreproduce: npm run fuzz -- --seed ${SEED} --only "${target.name}"`,
      );
    });
  }
});
