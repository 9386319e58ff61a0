// Runs fuzz targets case by case under a per-case time bound and an overall time budget, and reports what
// failed with the seed and case number that reproduce it.
import { PropertyViolation, showInput, type FuzzTarget } from './fuzzTarget';
import { caseSeed, Prng } from './prng';

export interface FuzzRunOptions {
  cases: number;
  seed: number;
  /** Stop early (with fewer cases) when the target has run this long. */
  budgetMs: number;
  /** A case running longer than this is reported as a hang. */
  caseTimeoutMs: number;
}

export interface FuzzFailure {
  caseIndex: number;
  kind: 'crash' | 'property' | 'hang';
  message: string;
  input?: string;
}

export interface FuzzReport {
  target: string;
  seed: number;
  cases: number;
  failures: FuzzFailure[];
  durationMs: number;
}

const MAX_FAILURES_KEPT = 10;

export async function runFuzzTarget<C>(target: FuzzTarget<C>, options: FuzzRunOptions): Promise<FuzzReport> {
  const context = (await target.setup?.()) as C;
  const started = Date.now();
  const failures: FuzzFailure[] = [];
  const parallel = Math.max(1, target.parallel ?? 1);
  let next = 0;
  let cases = 0;
  const more = () =>
    next < options.cases && Date.now() - started < options.budgetMs && failures.length < MAX_FAILURES_KEPT;
  const runCase = async (index: number, slot: number) => {
    const caseStarted = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), options.caseTimeoutMs);
    });
    try {
      const outcome = await Promise.race([
        Promise.resolve(target.check(new Prng(caseSeed(options.seed, index)), context, slot)),
        timeout,
      ]);
      // A synchronous case cannot be interrupted; it still counts as a hang when it took too long.
      if (outcome === 'hang' || Date.now() - caseStarted > options.caseTimeoutMs)
        failures.push({ caseIndex: index, kind: 'hang', message: `case ran longer than ${options.caseTimeoutMs} ms` });
    } catch (err) {
      const violation = err instanceof PropertyViolation;
      failures.push({
        caseIndex: index,
        kind: violation ? 'property' : 'crash',
        message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        input: violation ? showInput(err.input) : undefined,
      });
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    // Each slot takes the next case number when it is free, so a case's input depends only on its number.
    await Promise.all(
      Array.from({ length: parallel }, async (_, slot) => {
        while (more()) {
          const index = next++;
          cases++;
          await runCase(index, slot);
        }
      }),
    );
  } finally {
    await target.teardown?.(context);
  }
  return { target: target.name, seed: options.seed, cases, failures, durationMs: Date.now() - started };
}

export function describeReport(report: FuzzReport): string {
  const head = `${report.target}: ${report.cases} cases, ${report.failures.length} failure(s) in ${report.durationMs} ms (seed ${report.seed})`;
  const lines = report.failures.map(
    (f) => `  case ${f.caseIndex} [${f.kind}] ${f.message}${f.input ? `\n    input: ${f.input}` : ''}`,
  );
  return [head, ...lines].join('\n');
}
