// `npm run bench`: Stowage's CLI and skopeo side by side on the same bytes, fresh registries, a table of
// medians and per-pair ratios on stdout and the raw samples in bench/results/. Not a test: numbers, not verdicts.
//
//   --quick            small sizes, one pair, no warm-up (for working on the bench itself)
//   --pairs N          measured pairs after the warm-up (default 3)
//   --warmup N         warm-up pairs, dropped (default 1)
//   --size MiB         the large file (default 1024)
//   --memory MiB,MiB   sizes of the peak-RSS case (default 1024,4096)
//   --only a,b         cases: transfer, copy, small, listing, lint, memory, manytags, archive, backup
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchContext, BenchOptions } from './cases/context';
import { archiveCases } from './cases/archive';
import { backupCases } from './cases/backup';
import { copyCases } from './cases/copy';
import { lintCases } from './cases/lint';
import { manyTagsCases } from './cases/manyTags';
import { listingCases } from './cases/listing';
import { memoryCases } from './cases/memory';
import { smallFileCases } from './cases/smallFiles';
import { transferCases } from './cases/transfer';
import { makeWorkDir, removeAll } from './data';
import { log, type Plan } from './pairs';
import { table, type Row } from './stats';
import { judgeTargets, verdictText } from './targets';
import { SKOPEO } from './tools';

const CASES: Record<string, (ctx: BenchContext) => Promise<Row[]>> = {
  // Quick cases first: a run cut short still has them.
  transfer: transferCases,
  listing: listingCases,
  lint: lintCases,
  memory: memoryCases,
  manytags: manyTagsCases,
  copy: copyCases,
  small: smallFileCases,
  archive: archiveCases,
  backup: backupCases,
};

function parse(argv: string[]): { options: BenchOptions; plan: Plan } {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const options: BenchOptions = quick
    ? {
        sizeMiB: 128,
        memorySizesMiB: [64, 256],
        smallFiles: 200,
        tags: 500,
        repositories: 200,
        indexEntries: 5000,
        manyTags: { verified: 200, copied: 20, listed: 10_000 },
        only: [],
      }
    : {
        sizeMiB: 1024,
        memorySizesMiB: [1024, 4096],
        smallFiles: 2000,
        tags: 5000,
        repositories: 2000,
        indexEntries: 5000,
        manyTags: { verified: 2000, copied: 100, listed: 100_000 },
        only: [],
      };
  const plan: Plan = quick ? { pairs: 1, warmup: 0 } : { pairs: 3, warmup: 1 };
  if (flag('pairs')) plan.pairs = Number(flag('pairs'));
  if (flag('warmup')) plan.warmup = Number(flag('warmup'));
  if (flag('size')) options.sizeMiB = Number(flag('size'));
  if (flag('memory')) options.memorySizesMiB = flag('memory')!.split(',').map(Number);
  if (flag('only')) options.only = flag('only')!.split(',');
  const unknown = options.only.filter((c) => !(c in CASES));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; known: ${Object.keys(CASES).join(', ')}`);
  return { options, plan };
}

function machine(): Record<string, unknown> {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg(),
    node: process.version,
    skopeo: version(SKOPEO, ['--version']),
    kernel: os.release(),
  };
}

async function main(): Promise<void> {
  const { options, plan } = parse(process.argv.slice(2));
  const work = await makeWorkDir();
  const ctx: BenchContext = { options, plan, work };
  const started = new Date();
  const info = machine();
  log(
    `work folder ${work}; ${plan.pairs} pair(s) after ${plan.warmup} warm-up; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const resultsDir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  await fs.mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const rows: Row[] = [];
  // Written after every case, so a long run interrupted late still leaves its numbers.
  const save = () =>
    fs.writeFile(
      file,
      JSON.stringify(
        {
          started,
          machine: info,
          loadAtEnd: os.loadavg(),
          options,
          plan,
          rows,
          table: table(rows),
          targets: judgeTargets(rows),
        },
        null,
        2,
      ),
    );
  try {
    for (const [name, run] of Object.entries(CASES)) {
      if (options.only.length && !options.only.includes(name)) continue;
      rows.push(...(await run(ctx)));
      await save();
    }
  } finally {
    await removeAll(work);
  }
  process.stdout.write(
    `\n${table(rows)}\n\nA/B < 1: A is faster. ${info.cpus} CPUs (${info.cpuModel}), Node ${info.node}, ${info.skopeo}; load at start ${(info.loadAverage as number[]).map((l) => l.toFixed(1)).join(' ')}, at end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}.\n\nTargets of issues #16 and #17, from this run:\n${verdictText(judgeTargets(rows))}\n`,
  );
  log(`results in ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
