// `npm run fuzz`: every target for up to --cases cases (default 100,000) within --seconds per target
// (default 240), seeded by --seed (default: random, printed). Exits 1 on any crash, property failure or hang.
// Reproduce a failure with the printed seed: `npm run fuzz -- --seed N --only "tar unpacker"`.
import { recordFigures } from '../helpers/figures';
import { describeReport, runFuzzTarget } from './runFuzz';
import { FUZZ_TARGETS } from './targets';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const cases = Number(option('cases') ?? 100_000);
  const seconds = Number(option('seconds') ?? 240);
  const seed = option('seed') !== undefined ? Number(option('seed')) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  const only = option('only');
  console.log(`fuzz seed ${seed}: up to ${cases} cases per target, ${seconds} s per target`);
  let failed = 0;
  for (const target of FUZZ_TARGETS.filter((t) => !only || t.name === only)) {
    const report = await runFuzzTarget(target, { cases, seed, budgetMs: seconds * 1000, caseTimeoutMs: 5000 });
    console.log(describeReport(report));
    failed += report.failures.length;
    recordFigures('fuzz-full', {
      [report.target]: {
        tried: report.cases,
        held: report.cases - report.failures.length,
        detail: `fuzz cases (seed ${seed}, ${Math.round(report.durationMs / 1000)} s)`,
      },
    });
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
